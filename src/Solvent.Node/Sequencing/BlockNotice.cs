using Solvent.Core.Events;
using Solvent.Node.Views;

namespace Solvent.Node.Sequencing;

/// <summary>One sequenced action's outcome inside a committed block, for streams.</summary>
public sealed record ActionOutcome(long Sequence, string Signer, string Code, IReadOnlyList<EngineEvent> Events);

/// <summary>A committed block and its outcomes, published to streams after the fsync.</summary>
public sealed record BlockNotice(BlockHeaderView Header, IReadOnlyList<ActionOutcome> Outcomes, ChainView View);
