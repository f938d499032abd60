using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Events;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 3: debt that no liquidation can collect (no positive balance, a poisoned account, collateral
/// whose price collapsed) must be written off — dust to insurance, debt through the bad-debt waterfall — and
/// stop accruing; a keeper who does it is paid the fee; no owner profits from the fee.
/// </summary>
public class UnrecordedBadDebtTests
{
    private const int EthPerp = 0;
    private const int Keeper = 9;
    private const long Year = 365 * 24 * 3600;

    private static TestVenue Venue(Config.Genesis? genesis = null)
    {
        var v = new TestVenue(genesis);
        v.Block(v.Engine.Time, new Deposit(User(Keeper), Acct(Keeper), USDC, v.Q(USDC, "1000000")), new FundInsurance(User(Keeper), USDC, v.Q(USDC, "1000")));
        return v;
    }

    private static BlockResult MustBlock(TestVenue v, params EngineAction[] actions)
    {
        BlockResult b = v.Block(v.Engine.Time, actions);
        for (int i = 0; i < actions.Length; i++)
        {
            Assert.True(b.Results[i].Ok, $"{actions[i]}: {b.Results[i].CodeName} {b.Results[i].Message}");
        }

        return b;
    }

    private static IEnumerable<EngineEvent> All(BlockResult b) => b.Results.SelectMany(r => r.Events).Concat(b.EndBlockEvents);

    [Fact]
    public void Debt_left_with_no_positive_balance_by_a_settlement_is_written_off_at_the_end_of_the_block()
    {
        TestVenue v = Venue();
        long borrowed = v.Q(USDC, "9000");
        MustBlock(v,
            new Deposit(User(1), Acct(1), SOL, v.Q(SOL, "100")),
            new Borrow(User(1), Acct(1), USDC, borrowed),
            new PlaceOrder(User(1), Acct(1), EthPerp, v.Q(ETH, "0.01"), 0, false));

        // SOL falls: the keeper seizes all of it, but the open position keeps the rest of the debt off the waterfall.
        MustBlock(v, new SetOraclePrice(Gov, SOL, Px("80")));
        BlockResult liq = MustBlock(v, new Liquidate(User(Keeper), Acct(Keeper), Acct(1), USDC, SOL, borrowed));
        long repaid = liq.Results[0].Events.OfType<Liquidated>().Single().Repaid;
        Assert.Empty(All(liq).OfType<BadDebtRealized>());
        Assert.Equal(ErrorCode.NotWriteOffEligible, v.Do(new WriteOffBadDebt(User(Keeper), Acct(Keeper), Acct(1))).Code);

        // The owner may not close the position itself at a loss past bankruptcy (ORDER_WOULD_BANKRUPT); a
        // bankrupt position goes to the backstop. Nothing positive is left, and no lending liquidation can reach the debt.
        Assert.Equal(ErrorCode.OrderWouldBankrupt, v.Do(new PlaceOrder(User(1), Acct(1), EthPerp, -v.Q(ETH, "0.01"), 0, true)).Code);
        BlockResult close = MustBlock(v, new BackstopLiquidate(User(Keeper), Acct(1), EthPerp));
        long pnl = close.Results[0].Events.OfType<PnlSettled>().Where(e => e.Account == Acct(1)).Sum(e => e.Amount);
        long shortfall = borrowed - repaid - pnl;
        Assert.True(shortfall > v.Q(USDC, "1000"));

        BadDebtRealized bad = Assert.Single(All(close).OfType<BadDebtRealized>());
        Assert.Equal(Acct(1), bad.Account);
        Assert.Equal(shortfall, bad.Amount);
        Assert.Equal(v.Q(USDC, "1000"), All(close).OfType<InsuranceCovered>().Single().Amount);
        Assert.Equal(0, v.Balance(1, USDC));

        // The debt no longer accrues: a year later the account still owes nothing and the books balance.
        v.Block(v.Engine.Time + Year);
        Assert.Equal(0, v.Balance(1, USDC));
        AssertBooks(v.Engine);
    }

    [Fact]
    public void A_poisoned_account_is_written_off_at_the_end_of_the_liquidating_block()
    {
        TestVenue v = Venue();
        long borrowed = v.Q(USDC, "20000");
        MustBlock(v,
            new Deposit(User(2), Acct(2), ETH, v.Q(ETH, "10")),
            new Borrow(User(2), Acct(2), USDC, borrowed),
            new Deposit(User(3), Acct(2), SOL, 2)); // anyone may deposit: two quantums of SOL "poison" the account
        MustBlock(v, new SetOraclePrice(Gov, ETH, Px("1500")));
        ActionResult liq = v.MustDo(new Liquidate(User(Keeper), Acct(Keeper), Acct(2), USDC, ETH, borrowed));
        long repaid = liq.Events.OfType<Liquidated>().Single().Repaid;
        Assert.Empty(liq.Events.OfType<BadDebtRealized>());

        // The two quantums cannot repay one unit of debt, so no keeper can liquidate the rest.
        Assert.Equal(ErrorCode.NoCollateral, v.Do(new Liquidate(User(Keeper), Acct(Keeper), Acct(2), USDC, SOL, borrowed)).Code);

        // Written off at the end of the liquidating block even if no one asks (no fee then).
        BlockResult end = v.Block(v.Engine.Time);
        long shortfall = borrowed - repaid;
        BadDebtRealized bad = Assert.Single(end.EndBlockEvents.OfType<BadDebtRealized>());
        Assert.Equal(shortfall, bad.Amount);
        Assert.Equal(2, end.EndBlockEvents.OfType<DustSeized>().Single().Amount);
        Assert.Equal(new BadDebtWrittenOff(Acct(2), Acct(2), 0), end.EndBlockEvents.OfType<BadDebtWrittenOff>().Single());
        Assert.Equal(0, v.Balance(2, USDC));
        Assert.Equal(0, v.Balance(2, SOL));
        Assert.Equal(2, v.Engine.Pools[SOL].Insurance);
    }

    [Fact]
    public void A_keeper_writes_off_a_poisoned_account_in_the_liquidating_block_and_is_paid_the_fee()
    {
        TestVenue v = Venue();
        long borrowed = v.Q(USDC, "20000");
        MustBlock(v,
            new Deposit(User(2), Acct(2), ETH, v.Q(ETH, "10")),
            new Borrow(User(2), Acct(2), USDC, borrowed),
            new Deposit(User(3), Acct(2), SOL, 2));
        MustBlock(v, new SetOraclePrice(Gov, ETH, Px("1500")));
        long insuranceBefore = v.Engine.Pools[USDC].Insurance;
        BlockResult b = MustBlock(v,
            new Liquidate(User(Keeper), Acct(Keeper), Acct(2), USDC, ETH, borrowed),
            new WriteOffBadDebt(User(Keeper), Acct(Keeper, 1), Acct(2)));
        long repaid = b.Results[0].Events.OfType<Liquidated>().Single().Repaid;
        long fee = v.Engine.Genesis.WriteOffFee;
        Assert.True(fee > 0);

        Assert.Equal(fee, b.Results[1].Events.OfType<BadDebtWrittenOff>().Single().Fee);
        // Credits scale down (the protocol keeps the rounding): the balance reads the fee or one quantum less.
        Assert.InRange(v.Balance(Keeper, USDC, 1), fee - 1, fee);
        Assert.Equal(borrowed - repaid, Assert.Single(All(b).OfType<BadDebtRealized>()).Amount);

        // The fee ranks ahead of the loss; the fund then pays what it has left, suppliers the rest.
        Assert.Equal(insuranceBefore - fee, b.Results[1].Events.OfType<InsuranceCovered>().Single().Amount);
        Assert.Equal(borrowed - repaid - (insuranceBefore - fee), b.Results[1].Events.OfType<LossSocialized>().Single().Amount);
        Assert.Equal(0, v.Engine.Pools[USDC].Insurance);
        AssertBooks(v.Engine);
    }

    [Fact]
    public void Debt_against_collateral_whose_price_collapsed_is_written_off_and_stops_accruing()
    {
        TestVenue v = Venue();
        long borrowed = v.Q(USDC, "900");
        MustBlock(v, new Deposit(User(4), Acct(4), SOL, v.Q(SOL, "10")), new Borrow(User(4), Acct(4), USDC, borrowed));

        // Before the collapse the account is healthy: the write-off is refused and changes nothing.
        byte[] root = v.Engine.ComputeStateRoot();
        ActionResult early = v.Do(new WriteOffBadDebt(User(Keeper), Acct(Keeper), Acct(4)));
        Assert.Equal(ErrorCode.NotWriteOffEligible, early.Code);
        Assert.Equal(root, v.Engine.ComputeStateRoot());

        // Half a year later SOL trades at a hundred-millionth of a dollar: 10 SOL are worth less than one USDC quantum.
        v.Block(v.Engine.Time + (Year / 2), new SetOraclePrice(Gov, SOL, Px("0.00000001")));
        long debt = -v.Balance(4, USDC);
        Assert.True(debt > borrowed);
        // The keeper's liquidation is refused (NO_COLLATERAL, or OVERFLOW while a full repay against worthless collateral overflows).
        Assert.Contains(v.Do(new Liquidate(User(Keeper), Acct(Keeper), Acct(4), USDC, SOL, debt)).Code, new[] { ErrorCode.NoCollateral, ErrorCode.Overflow });

        long keeperBefore = v.Balance(Keeper, USDC);
        BlockResult b = MustBlock(v, new WriteOffBadDebt(User(Keeper), Acct(Keeper), Acct(4)));
        long fee = v.Engine.Genesis.WriteOffFee;
        Assert.InRange(v.Balance(Keeper, USDC) - keeperBefore, fee - 1, fee);
        Assert.Equal(debt, Assert.Single(All(b).OfType<BadDebtRealized>()).Amount);
        Assert.Equal(v.Q(SOL, "10"), All(b).OfType<DustSeized>().Single().Amount);
        Assert.Equal(v.Q(SOL, "10"), v.Engine.Pools[SOL].Insurance);

        v.Block(v.Engine.Time + Year);
        Assert.Equal(0, v.Balance(4, USDC));
        Assert.Equal(0, v.Balance(4, SOL));
        AssertBooks(v.Engine);
    }

    [Fact]
    public void The_write_off_is_refused_on_the_callers_own_accounts_on_positions_and_on_collectable_debt()
    {
        TestVenue v = Venue();
        MustBlock(v, new Deposit(User(4), Acct(4), SOL, v.Q(SOL, "10")), new Borrow(User(4), Acct(4), USDC, v.Q(USDC, "900")));
        MustBlock(v, new SetOraclePrice(Gov, SOL, Px("100")));

        // Liquidatable, but a keeper can still seize the SOL: the liquidation path, not the write-off.
        Assert.True(v.Health(4).IsLiquidatable);
        Assert.Equal(ErrorCode.NotWriteOffEligible, v.Do(new WriteOffBadDebt(User(Keeper), Acct(Keeper), Acct(4))).Code);

        MustBlock(v, new SetOraclePrice(Gov, SOL, Px("0.00000001")));
        Assert.Equal(ErrorCode.SelfLiquidation, v.Do(new WriteOffBadDebt(User(4), Acct(4, 1), Acct(4))).Code);
        Assert.Equal(ErrorCode.Unauthorized, v.Do(new WriteOffBadDebt(User(Keeper), Acct(5), Acct(4))).Code);
        Assert.Equal(ErrorCode.UnknownAccount, v.Do(new WriteOffBadDebt(User(Keeper), Acct(Keeper), Acct(77))).Code);
        Assert.Equal(ErrorCode.ProtocolAccount, v.Do(new WriteOffBadDebt(User(Keeper), Acct(Keeper), Engine.AmmKey(0))).Code);
    }

    [Fact]
    public void An_owner_farming_the_fee_with_many_tiny_borrows_gives_up_more_than_it_collects()
    {
        // One owner (two addresses) opens subaccounts with tiny borrows, waits for a crash that makes them
        // uncollectable, then collects the write-off fee on each from its second address.
        // The worst case: no minimum borrow (the example genesis has one, which refuses these borrows outright).
        Config.Genesis g = ExampleGenesis();
        g = With(g, USDC, r => r with { MinBorrow = 0 });
        TestVenue v = Venue(g);
        const int Subs = 8;
        Address owner = User(5), second = User(6);
        long solIn = v.Q(SOL, "0.0000001"); // 100 quantums, 15 µUSD at $150
        long usdcOut = 0;
        for (uint s = 0; s < Subs; s++)
        {
            const long Borrowed = 5;
            BlockResult b = v.Block(v.Engine.Time, new Deposit(owner, Acct(5, s), SOL, solIn), new Borrow(owner, Acct(5, s), USDC, Borrowed));
            Assert.True(b.Results[0].Ok);
            usdcOut += b.Results[1].Ok ? Borrowed : 0;
        }

        Assert.True(usdcOut > 0, "the tiny borrows were refused: nothing to farm");

        v.Block(v.Engine.Time, new SetOraclePrice(Gov, SOL, Px("7.5")));
        long fees = 0;
        for (uint s = 0; s < Subs; s++)
        {
            ActionResult w = v.Do(new WriteOffBadDebt(second, Acct(6), Acct(5, s)));
            fees += w.Ok ? w.Events.OfType<BadDebtWrittenOff>().Single().Fee : 0;
        }

        v.Block(v.Engine.Time);
        Assert.Equal(fees, v.Balance(6, USDC));

        // What the owner took out (borrows and fees) is worth less than the SOL it put in, at the entry price.
        long inValue = (long)(Subs * v.Engine.Pools[SOL].ValueAt(solIn, Px("150"), Math.Rounding.Down));
        Assert.True(usdcOut + fees < inValue, $"owner took out {usdcOut + fees} µUSD for {inValue} µUSD put in");
    }

    private static void AssertBooks(Engine e)
    {
        foreach (AssetPool p in e.Pools)
        {
            Assert.True(p.Insurance >= 0 && p.BadDebt >= 0, $"{p.Config.Symbol}: insurance {p.Insurance}, bad debt {p.BadDebt}");
            Assert.Equal(p.Cash, p.SupplyClaims - p.DebtClaims + p.Treasury + p.Insurance + p.RoundingSurplus - p.BadDebt - p.PerpSettled);
            Assert.InRange(p.RoundingSurplus, -2, 1_000);
        }
    }
}
