using Solvent.Core.Actions;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>
/// The dirty set names every account whose canonical bytes an action wrote — including writes that
/// touch no balance (a liquidation flag, a margin-mode switch) — since the node's Merkle commitment
/// rehashes exactly those accounts.
/// </summary>
public sealed class DirtySetTests
{
    [Fact]
    public void Flag_and_mode_switch_alone_mark_the_account()
    {
        var v = new TestVenue();
        v.Deposit(1, USDC, "100000");
        v.Deposit(2, ETH, "1");
        v.Borrow(2, USDC, "2400");
        v.Price(ETH, "2800"); // 2,800 × 0.83 = 2,324 < 2,400: liquidatable
        var drained = new List<int>();
        v.Engine.DrainDirty(drained);

        int target = v.Engine.Accounts.Find(Acct(2));
        v.MustDo(new FlagLiquidatable(User(1), Acct(2)));
        drained.Clear();
        v.Engine.DrainDirty(drained);
        Assert.Equal([target], drained);

        v.Deposit(3, USDC, "10"); // opens cross
        v.Engine.DrainDirty(drained);
        int fresh = v.Engine.Accounts.Find(Acct(3));
        v.MustDo(new OpenSubaccount(User(3), Acct(3), State.MarginMode.Isolated));
        drained.Clear();
        v.Engine.DrainDirty(drained);
        Assert.Equal([fresh], drained);
    }
}
