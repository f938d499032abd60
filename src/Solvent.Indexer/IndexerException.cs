namespace Solvent.Indexer;

/// <summary>The indexer refuses to go on: wrong chain, a gap in heights, or a block that disagrees with its log.</summary>
public sealed class IndexerException(string message) : Exception(message);
