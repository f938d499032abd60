namespace Solvent.Core.Blocks;

/// <summary>A block that does not extend the chain (wrong height, time going backwards, wrong previous root). The whole block is refused.</summary>
public sealed class InvalidBlockException(string message) : Exception(message);
