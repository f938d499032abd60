using Solvent.Core.Events;

namespace Solvent.Core.Actions;

/// <summary>
/// Outcome of one action: accepted with its events, or rejected with a stable code and a human message.
/// Events are a slice of a buffer the engine shares across actions (never overwritten once handed out),
/// so an accepted action allocates no array of its own.
/// </summary>
public readonly record struct ActionResult(ErrorCode Code, string Message, ArraySegment<EngineEvent> Events)
{
    /// <summary>Whether the action was applied.</summary>
    public bool Ok => Code == ErrorCode.Ok;

    /// <summary>A rejection; nothing changed.</summary>
    public static ActionResult Reject(ErrorCode code, string message) => new(code, message, ArraySegment<EngineEvent>.Empty);

    /// <summary>An acceptance.</summary>
    public static ActionResult Accept(ArraySegment<EngineEvent> events) => new(ErrorCode.Ok, "ok", events);

    /// <summary>SCREAMING_SNAKE name of the code, as the API reports it.</summary>
    public string CodeName => ErrorCodes.Name(Code);
}
