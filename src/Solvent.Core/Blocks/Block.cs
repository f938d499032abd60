using Solvent.Core.Actions;

namespace Solvent.Core.Blocks;

/// <summary>Block header: the chain position and the root of the state before it (32 bytes; zeros before the first block).</summary>
public sealed record BlockHeader(long Height, long Time, byte[] PreviousRoot);

/// <summary>An ordered list of verified actions applied at one block time.</summary>
public sealed record Block(BlockHeader Header, IReadOnlyList<EngineAction> Actions);

/// <summary>What applying a block produced: one result per action, in order, and the new state root.</summary>
public sealed record BlockResult(BlockHeader Header, IReadOnlyList<ActionResult> Results, byte[] StateRoot)
{
    /// <summary>Events of the end-of-block phase (oracle aggregation, risk controllers).</summary>
    public IReadOnlyList<Events.EngineEvent> EndBlockEvents { get; init; } = [];
}
