namespace Solvent.Node.Replication;

/// <summary>Another writer appended to the block stream (or took the lease): this node must stop sequencing.</summary>
public sealed class ReplicationFencedException(string message) : Exception(message);
