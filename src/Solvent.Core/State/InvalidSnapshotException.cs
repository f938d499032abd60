namespace Solvent.Core.State;

/// <summary>A snapshot that does not decode, does not belong to the genesis, or does not hash to its root.</summary>
public sealed class InvalidSnapshotException(string message) : Exception(message);
