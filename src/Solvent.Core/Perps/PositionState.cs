namespace Solvent.Core.Perps;

/// <summary>A position's stored fields: signed size (base quantums), quote balance and the funding index it last settled at.</summary>
public readonly record struct PositionState(long Size, long Quote, Int128 Snapshot);
