namespace Solvent.Node.Recovery;

/// <summary>The data directory cannot be recovered to a state that agrees with its log; the node refuses to start.</summary>
public sealed class RecoveryException(string message) : Exception(message);
