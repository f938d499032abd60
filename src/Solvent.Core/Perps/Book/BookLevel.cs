namespace Solvent.Core.Perps.Book;

/// <summary>One aggregated price level as read from the book (L2 depth queries).</summary>
/// <param name="Price">Price in ticks.</param>
/// <param name="Size">Resting steps at the price, summed over its orders.</param>
/// <param name="Orders">Resting orders at the price.</param>
public readonly record struct BookLevel(long Price, long Size, int Orders);
