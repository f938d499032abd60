using Solvent.Core.Actions;
using Solvent.Core.Events;

namespace Solvent.Node.Sequencing;

/// <summary>
/// The answer to one submitted action. Sequenced: its global sequence number, block height and the
/// engine's result (a rejected result still consumed the nonce and is in the block). Refused: never
/// sequenced (<see cref="Sequence"/> 0), with the node's code (nonce gap, replay, unavailable).
/// </summary>
public sealed record Ack(long Sequence, long Height, string Code, string Message, bool Ok, IReadOnlyList<EngineEvent> Events)
{
    /// <summary>State root after the block that holds the action (0x hex), empty when refused before sequencing.</summary>
    public string StateRoot { get; init; } = "";

    /// <summary>Accounts (Merkle) root after that block (0x hex), what state proofs verify against; empty when refused.</summary>
    public string AccountsRoot { get; init; } = "";

    /// <summary>Whether the action is in a committed block.</summary>
    public bool Sequenced => Sequence > 0;

    /// <summary>An action the node refused before sequencing.</summary>
    public static Ack Refused(string code, string message) => new(0, 0, code, message, false, []);

    /// <summary>An action committed in block <paramref name="height"/>.</summary>
    public static Ack Of(long sequence, long height, in ActionResult r, string stateRoot, string accountsRoot) =>
        new(sequence, height, r.CodeName, r.Message, r.Ok, r.Events) { StateRoot = stateRoot, AccountsRoot = accountsRoot };
}
