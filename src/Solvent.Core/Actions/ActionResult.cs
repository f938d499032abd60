using Solvent.Core.Events;

namespace Solvent.Core.Actions;

/// <summary>Outcome of one action: accepted with its events, or rejected with a stable code and a human message.</summary>
public readonly record struct ActionResult(ErrorCode Code, string Message, IReadOnlyList<EngineEvent> Events)
{
    private static readonly EngineEvent[] None = [];

    /// <summary>Whether the action was applied.</summary>
    public bool Ok => Code == ErrorCode.Ok;

    /// <summary>A rejection; nothing changed.</summary>
    public static ActionResult Reject(ErrorCode code, string message) => new(code, message, None);

    /// <summary>An acceptance.</summary>
    public static ActionResult Accept(IReadOnlyList<EngineEvent> events) => new(ErrorCode.Ok, "ok", events);

    /// <summary>SCREAMING_SNAKE name of the code, as the API reports it.</summary>
    public string CodeName => ErrorCodes.Name(Code);
}
