namespace Solvent.Core.Perps.Book;

/// <summary>
/// What the book asks of the market around it: positions for reduce-only, the margin verdict on each
/// fill, and where fills and removals go. Passed as a generic struct argument so calls are not virtual
/// and nothing is boxed on the hot path.
/// </summary>
/// <remarks>
/// A fill-or-kill order is first walked without writing: the book calls <see cref="Check"/> and
/// <see cref="Preview"/> for each prospective fill, then <see cref="EndPreview"/>. <see cref="Check"/>
/// must judge a fill on the state plus every fill previewed (or filled) before it in the same order, so
/// the walk that writes makes the same decisions as the one that did not.
/// </remarks>
public interface IMatchHooks
{
    /// <summary>The owner's signed position in steps (+ long), for reduce-only orders.</summary>
    long Position(int owner);

    /// <summary>The verdict on a fill of <paramref name="size"/> steps at <paramref name="price"/> ticks.</summary>
    FillCheck Check(int taker, int maker, OrderSide takerSide, long price, long size);

    /// <summary>Records a fill that a fill-or-kill walk would make, without applying it.</summary>
    void Preview(int taker, int maker, OrderSide takerSide, long price, long size);

    /// <summary>Forgets every previewed fill.</summary>
    void EndPreview();

    /// <summary>Applies a fill the book has just made.</summary>
    void Filled(in BookFill fill);

    /// <summary>Reports a resting order the book removed without its owner asking.</summary>
    void Removed(long orderId, int owner, RemovalReason reason);
}
