using Solvent.Core.Perps.Book;

namespace Solvent.Core.Tests.Book;

/// <summary>A fill or a removal, with the maker order named by its arrival number so both matchers can be compared.</summary>
internal readonly record struct BookEvent(bool IsFill, long MakerSeq, int Maker, int Taker, OrderSide TakerSide, long Price, long Size, long MakerRemaining, RemovalReason Reason);
