namespace Solvent.Core.Perps.Book;

/// <summary>Read-only view of one owner's resting orders, for open-order queries.</summary>
public sealed partial class OrderBook
{
    /// <summary>The owner's resting orders by id (arrival order); allocates, so for queries and tests only.</summary>
    public List<RestingOrder> OrdersOf(int owner)
    {
        var list = new List<RestingOrder>(OpenOrders(owner));
        if ((uint)owner >= (uint)_ownerHead.Length)
        {
            return list;
        }

        for (int o = _ownerHead[owner]; o >= 0; o = _orders[o].OwnerNext)
        {
            list.Add(View(o));
        }

        // The owner list is newest first; ids are arrival numbers, so sorting by id gives time order.
        list.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return list;
    }
}
