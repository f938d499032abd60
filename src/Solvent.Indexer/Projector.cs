using System.Numerics;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Events;
using Solvent.Core.State;

namespace Solvent.Indexer;

/// <summary>
/// Turns one applied block into rows. Rows depend only on the block and the engine state around it,
/// never on what the indexer wrote earlier, so a block indexed twice yields the same rows.
/// </summary>
public sealed class Projector
{
    private readonly Engine _engine;
    private PoolState[] _pools = [];
    private MarketState[] _markets = [];

    private readonly record struct PoolState(UInt128 Supply, UInt128 Borrow, UInt128 SupplyRate, UInt128 BorrowRate, long Insurance);

    private readonly record struct MarketState(Int128 FundingIndex, long Insurance);

    /// <summary>Projects blocks applied to <paramref name="engine"/>.</summary>
    public Projector(Engine engine) => _engine = engine;

    /// <summary>Records the pool and market state before a block (call right before applying it).</summary>
    public void BeforeBlock()
    {
        _pools = [.. _engine.Pools.Select(p => new PoolState(p.SupplyIndex, p.BorrowIndex, p.SupplyRate, p.BorrowRate, p.Insurance))];
        _markets = [.. _engine.Markets.Select(m => new MarketState(m.FundingIndex, m.Insurance))];
    }

    /// <summary>Rows of a block just applied, with its decoded <paramref name="actions"/> and their <paramref name="nonces"/>.</summary>
    public BlockRows Project(BlockResult result, IReadOnlyList<EngineAction> actions, IReadOnlyList<ulong> nonces)
    {
        long h = result.Header.Height, t = result.Header.Time;
        int rejected = 0;
        var rows = new BlockRows(h, t, result.StateRoot, actions.Count);
        var touched = new SortedSet<AccountKey>();
        for (int i = 0; i < actions.Count; i++)
        {
            ActionResult r = result.Results[i];
            rejected += r.Ok ? 0 : 1;
            rows.Add(Table.Actions, h, i, t, AddressBytes(actions[i].Signer), (long)nonces[i], KindOf(actions[i]), r.Ok, r.CodeName, r.Message);
            int ev = 0;
            foreach (EngineEvent e in r.Events)
            {
                Event(rows, touched, h, i, ev++, t, e);
            }
        }

        int end = 0;
        foreach (EngineEvent e in result.EndBlockEvents)
        {
            Event(rows, touched, h, -1, end++, t, e);
        }

        rows.Add(Table.Blocks, h, t, result.StateRoot, actions.Count, rejected);
        AccountRows(rows, touched, h);
        PoolRows(rows, h, t);
        return rows;
    }

    private void AccountRows(BlockRows rows, SortedSet<AccountKey> touched, long h)
    {
        AccountBook book = _engine.Accounts;
        foreach (AccountKey k in touched)
        {
            int id = book.Find(k);
            if (id < 0)
            {
                continue;
            }

            byte[] owner = AddressBytes(k.Owner);
            ReadOnlySpan<long> scaled = book.Balances(id);
            for (int a = 0; a < scaled.Length; a++)
            {
                AssetPool p = _engine.Pools[a];
                rows.Add(Table.Balances, h, owner, (long)k.Number, a, scaled[a], p.AmountOf(scaled[a]), p.Price);
            }

            for (int m = 0; m < book.MarketCount; m++)
            {
                long size = book.Size(id, m), quote = book.Quote(id, m);
                if (size != 0 || quote != 0 || HadPosition(rows, k, m))
                {
                    rows.Add(Table.Positions, h, owner, (long)k.Number, m, size, quote, _engine.Markets[m].MarkPrice);
                }
            }
        }
    }

    // A position closed in this block still gets its zero row, so "position at a height" sees the close.
    private static bool HadPosition(BlockRows rows, AccountKey k, int market)
    {
        foreach (object?[] f in rows.Of(Table.Fills))
        {
            if ((int)f[6]! == market && (long)f[5]! == k.Number && ((byte[])f[4]!).AsSpan().SequenceEqual(AddressBytes(k.Owner)))
            {
                return true;
            }
        }

        return false;
    }

    private void PoolRows(BlockRows rows, long h, long t)
    {
        for (int a = 0; a < _engine.Pools.Length; a++)
        {
            AssetPool p = _engine.Pools[a];
            PoolState before = a < _pools.Length ? _pools[a] : default;
            if (p.SupplyIndex != before.Supply || p.BorrowIndex != before.Borrow || p.SupplyRate != before.SupplyRate || p.BorrowRate != before.BorrowRate)
            {
                rows.Add(Table.InterestIndexes, a, h, t, (BigInteger)p.SupplyIndex, (BigInteger)p.BorrowIndex, (BigInteger)p.SupplyRate, (BigInteger)p.BorrowRate);
            }

            if (p.Insurance != before.Insurance)
            {
                rows.Add(Table.Insurance, "asset", a, h, t, p.Insurance);
            }
        }

        for (int m = 0; m < _engine.Markets.Length; m++)
        {
            PerpMarket mk = _engine.Markets[m];
            MarketState before = m < _markets.Length ? _markets[m] : default;
            if (mk.FundingIndex != before.FundingIndex)
            {
                rows.Add(Table.Funding, m, h, t, mk.LastFundingTime, (BigInteger)mk.FundingIndex, mk.LastFundingRate);
            }

            if (mk.Insurance != before.Insurance)
            {
                rows.Add(Table.Insurance, "market", m, h, t, mk.Insurance);
            }
        }
    }

    private void Event(BlockRows rows, SortedSet<AccountKey> touched, long h, int i, int ev, long t, EngineEvent e)
    {
        void Acct(AccountKey k, short role, string kind, int asset, long amount)
        {
            touched.Add(k);
            rows.Add(Table.AccountEvents, h, i, ev, role, t, AddressBytes(k.Owner), (long)k.Number, kind, asset, amount);
        }

        void Liq(string kind, AccountKey? liquidator, AccountKey target, int asset, int? collateral, long amount, long value, long penalty, long toLiq, long toIns, long bad) =>
            rows.Add(Table.Liquidations, h, i, ev, t, kind, liquidator is { } l ? AddressBytes(l.Owner) : null, liquidator is { } l2 ? (long)l2.Number : null,
                AddressBytes(target.Owner), (long)target.Number, asset, collateral, amount, value, penalty, toLiq, toIns, bad);

        void Loss(string kind, AccountKey? k, int asset, long amount, BigInteger? detail) =>
            rows.Add(Table.Losses, h, i, ev, t, kind, k is { } a ? AddressBytes(a.Owner) : null, k is { } b ? (long)b.Number : null, asset, amount, detail);

        void Oracle(int asset, string kind, long old, long value) => rows.Add(Table.OraclePrices, h, i, ev, t, asset, kind, old, value);

        switch (e)
        {
            case Deposited d: Acct(d.Account, 0, "deposit", d.Asset, d.Amount); break;
            case Withdrawn w: Acct(w.Account, 0, w.Borrowed > 0 ? "withdraw_borrow" : "withdraw", w.Asset, w.Amount); break;
            case Transferred x: Acct(x.From, 0, "transfer_out", x.Asset, x.Amount); Acct(x.To, 1, "transfer_in", x.Asset, x.Amount); break;
            case SubaccountOpened o: Acct(o.Account, 0, "open_subaccount", -1, (long)o.Mode); break;
            case Liquidated l:
                Acct(l.Target, 0, "liquidated", l.CollateralAsset, l.Seized);
                Acct(l.Liquidator, 1, "liquidator", l.DebtAsset, l.Repaid);
                Liq("lending", l.Liquidator, l.Target, l.DebtAsset, l.CollateralAsset, l.Repaid, l.Seized, l.Penalty, l.ToLiquidator, l.ToInsurance, 0);
                break;
            case PerpLiquidated p:
                Acct(p.Target, 0, "perp_liquidated", p.Market, p.Size);
                Acct(p.Liquidator, 1, "perp_liquidator", p.Market, p.Size);
                Liq("perp", p.Liquidator, p.Target, p.Market, null, p.Size, p.Notional, p.Penalty, p.Penalty - p.ToInsurance, p.ToInsurance, 0);
                break;
            case BackstopTakeover b:
                Acct(b.Target, 0, "backstop_takeover", b.Market, b.Size);
                Liq("backstop", null, b.Target, b.Market, null, b.Size, b.Quote, 0, 0, b.InsurancePaid, b.Shortfall);
                break;
            case BadDebtRealized b: Acct(b.Account, 0, "bad_debt", b.Asset, b.Amount); Loss("bad_debt", b.Account, b.Asset, b.Amount, null); break;
            case DustSeized d: Acct(d.Account, 0, "dust_seized", d.Asset, d.Amount); Loss("dust_seized", d.Account, d.Asset, d.Amount, null); break;
            case BadDebtWrittenOff w: Acct(w.Target, 0, "written_off", -1, w.Fee); Loss("written_off", w.Target, -1, w.Fee, null); break;
            case InsuranceCovered c: Loss("insurance_covered", null, c.Asset, c.Amount, c.InsuranceLeft); break;
            case LossSocialized s: Loss("socialized", null, s.Asset, s.Amount, (BigInteger)s.NewSupplyIndex); break;
            case AutoDeleveraged a:
                Acct(a.Account, 0, "adl", a.Market, a.Size);
                Loss("adl", a.Account, a.Market, a.Size, a.Quote);
                break;
            case Traded tr:
                Acct(tr.Account, 0, "trade", tr.Market, tr.Size);
                rows.Add(Table.Fills, h, i, ev, t, AddressBytes(tr.Account.Owner), (long)tr.Account.Number, tr.Market, tr.Size, tr.Quote, tr.Fee, tr.NewSize);
                if (tr.Size != 0)
                {
                    long size = Math.Abs(tr.Size), quote = Math.Abs(tr.Quote);
                    Int128 unit = Int128.CreateChecked(BigInteger.Pow(10, _engine.Markets[tr.Market].BaseQuantumDecimals));
                    rows.Trades.Add((tr.Market, (long)(quote * unit / size), size, quote));
                }

                break;
            case FundingSettled f:
                Acct(f.Account, 0, "funding", f.Market, f.Amount);
                rows.Add(Table.FundingPayments, h, i, ev, t, AddressBytes(f.Account.Owner), (long)f.Account.Number, f.Market, f.Amount);
                break;
            case PnlSettled p: Acct(p.Account, 0, "pnl_settled", p.Market, p.Amount); break;
            case AccountFlagged f: Acct(f.Account, 0, "flagged", -1, f.Height); break;
            case PriceUpdated p: Oracle(p.Asset, "price", p.OldPrice, p.NewPrice); break;
            case OraclePriceClamped c: Oracle(c.Asset, "clamped", c.Aggregate, c.Applied); break;
            case OracleFeedPaused p: Oracle(p.Asset, "paused", p.Aggregate, p.Price); break;
            case OracleFeedResumed r: Oracle(r.Asset, "resumed", 0, 0); break;
            case OracleQuorumMissing q: Oracle(q.Asset, "quorum_missing", q.Quorum, q.Fresh); break;
            case ImpliedVolatilityUpdated v: Oracle(v.Asset, "volatility", 0, v.Volatility); break;
            default: break; // parameter changes, AMM adjustments and fund top-ups show up in the tables of their effects
        }
    }

    /// <summary>The 20 bytes of an address, as stored.</summary>
    public static byte[] AddressBytes(Address a)
    {
        var b = new byte[20];
        a.WriteBytes(b);
        return b;
    }

    private static string KindOf(EngineAction a)
    {
        string n = a.GetType().Name;
        var s = new System.Text.StringBuilder(n.Length + 4);
        for (int i = 0; i < n.Length; i++)
        {
            if (char.IsUpper(n[i]) && i > 0)
            {
                s.Append('_');
            }

            s.Append(char.ToLowerInvariant(n[i]));
        }

        return s.ToString();
    }
}
