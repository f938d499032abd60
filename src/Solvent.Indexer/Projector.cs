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
    private readonly SortedSet<AccountKey> _touched = [];
    private readonly HashSet<(AccountKey, int)> _traded = [];

    // Addresses and action kinds repeat block after block: one byte array and one string each, shared by every row.
    private readonly Dictionary<Address, byte[]> _addresses = [];
    private readonly Dictionary<Type, string> _kinds = [];

    private readonly record struct PoolState(UInt128 Supply, UInt128 Borrow, UInt128 SupplyRate, UInt128 BorrowRate, long Insurance);

    private readonly record struct MarketState(Int128 FundingIndex, long Insurance);

    /// <summary>Projects blocks applied to <paramref name="engine"/>.</summary>
    public Projector(Engine engine) => _engine = engine;

    /// <summary>Records the pool and market state before a block (call right before applying it).</summary>
    public void BeforeBlock()
    {
        if (_pools.Length != _engine.Pools.Length)
        {
            _pools = new PoolState[_engine.Pools.Length];
        }

        if (_markets.Length != _engine.Markets.Length)
        {
            _markets = new MarketState[_engine.Markets.Length];
        }

        for (int a = 0; a < _pools.Length; a++)
        {
            AssetPool p = _engine.Pools[a];
            _pools[a] = new PoolState(p.SupplyIndex, p.BorrowIndex, p.SupplyRate, p.BorrowRate, p.Insurance);
        }

        for (int m = 0; m < _markets.Length; m++)
        {
            _markets[m] = new MarketState(_engine.Markets[m].FundingIndex, _engine.Markets[m].Insurance);
        }
    }

    /// <summary>Appends the rows of a block just applied, with its decoded <paramref name="actions"/> and their <paramref name="nonces"/>, to <paramref name="rows"/>.</summary>
    public void Project(RowBatch rows, BlockResult result, IReadOnlyList<EngineAction> actions, IReadOnlyList<ulong> nonces)
    {
        long h = result.Header.Height, t = result.Header.Time;
        int rejected = 0;
        rows.BeginBlock(h, t, result.StateRoot, actions.Count);
        _touched.Clear();
        _traded.Clear();
        RowBuffer acts = rows.Of(Table.Actions);
        for (int i = 0; i < actions.Count; i++)
        {
            ActionResult r = result.Results[i];
            rejected += r.Ok ? 0 : 1;
            acts.Long(h).Long(i).Long(t).Ref(Bytes(actions[i].Signer)).Long((long)nonces[i]).Ref(KindOf(actions[i])).Bool(r.Ok).Ref(r.CodeName).Ref(r.Message);
            int ev = 0;
            foreach (EngineEvent e in r.Events)
            {
                Event(rows, h, i, ev++, t, e);
            }
        }

        int end = 0;
        foreach (EngineEvent e in result.EndBlockEvents)
        {
            Event(rows, h, -1, end++, t, e);
        }

        rows.Of(Table.Blocks).Long(h).Long(t).Ref(result.StateRoot).Long(actions.Count).Long(rejected);
        AccountRows(rows, h);
        PoolRows(rows, h, t);
    }

    private void AccountRows(RowBatch rows, long h)
    {
        AccountBook book = _engine.Accounts;
        RowBuffer balances = rows.Of(Table.Balances), positions = rows.Of(Table.Positions);
        foreach (AccountKey k in _touched)
        {
            int id = book.Find(k);
            if (id < 0)
            {
                continue;
            }

            byte[] owner = Bytes(k.Owner);
            ReadOnlySpan<long> scaled = book.Balances(id);
            for (int a = 0; a < scaled.Length; a++)
            {
                AssetPool p = _engine.Pools[a];
                balances.Long(h).Ref(owner).Long((long)k.Number).Long(a).Long(scaled[a]).Long(p.AmountOf(scaled[a])).Long(p.Price);
            }

            for (int m = 0; m < book.MarketCount; m++)
            {
                long size = book.Size(id, m), quote = book.Quote(id, m);

                // A position closed in this block still gets its zero row, so "position at a height" sees the close.
                if (size != 0 || quote != 0 || _traded.Contains((k, m)))
                {
                    positions.Long(h).Ref(owner).Long((long)k.Number).Long(m).Long(size).Long(quote).Long(_engine.Markets[m].MarkPrice);
                }
            }
        }
    }

    private void PoolRows(RowBatch rows, long h, long t)
    {
        for (int a = 0; a < _engine.Pools.Length; a++)
        {
            AssetPool p = _engine.Pools[a];
            PoolState before = a < _pools.Length ? _pools[a] : default;
            if (p.SupplyIndex != before.Supply || p.BorrowIndex != before.Borrow || p.SupplyRate != before.SupplyRate || p.BorrowRate != before.BorrowRate)
            {
                rows.Of(Table.InterestIndexes).Long(a).Long(h).Long(t).Numeric(p.SupplyIndex).Numeric(p.BorrowIndex).Numeric(p.SupplyRate).Numeric(p.BorrowRate);
            }

            if (p.Insurance != before.Insurance)
            {
                rows.Of(Table.Insurance).Ref("asset").Long(a).Long(h).Long(t).Long(p.Insurance);
            }
        }

        for (int m = 0; m < _engine.Markets.Length; m++)
        {
            PerpMarket mk = _engine.Markets[m];
            MarketState before = m < _markets.Length ? _markets[m] : default;
            if (mk.FundingIndex != before.FundingIndex)
            {
                rows.Of(Table.Funding).Long(m).Long(h).Long(t).Long(mk.LastFundingTime).Numeric(mk.FundingIndex).Long(mk.LastFundingRate);
            }

            if (mk.Insurance != before.Insurance)
            {
                rows.Of(Table.Insurance).Ref("market").Long(m).Long(h).Long(t).Long(mk.Insurance);
            }
        }
    }

    private void Event(RowBatch rows, long h, int i, int ev, long t, EngineEvent e)
    {
        void Acct(AccountKey k, short role, string kind, int asset, long amount)
        {
            _touched.Add(k);
            rows.Of(Table.AccountEvents).Long(h).Long(i).Long(ev).Long(role).Long(t).Ref(Bytes(k.Owner)).Long((long)k.Number).Ref(kind).Long(asset).Long(amount);
        }

        void Liq(string kind, AccountKey? liquidator, AccountKey target, int asset, int? collateral, long amount, long value, long penalty, long toLiq, long toIns, long bad) =>
            rows.Of(Table.Liquidations).Long(h).Long(i).Long(ev).Long(t).Ref(kind).Ref(liquidator is { } l ? Bytes(l.Owner) : null).Long(liquidator is { } l2 ? (long)l2.Number : null)
                .Ref(Bytes(target.Owner)).Long((long)target.Number).Long(asset).Long(collateral).Long(amount).Long(value).Long(penalty).Long(toLiq).Long(toIns).Long(bad);

        void Loss(string kind, AccountKey? k, int asset, long amount, BigInteger? detail) =>
            rows.Of(Table.Losses).Long(h).Long(i).Long(ev).Long(t).Ref(kind).Ref(k is { } a ? Bytes(a.Owner) : null).Long(k is { } b ? (long)b.Number : null).Long(asset).Long(amount).Ref(detail);

        void Oracle(int asset, string kind, long old, long value) => rows.Of(Table.OraclePrices).Long(h).Long(i).Long(ev).Long(t).Long(asset).Ref(kind).Long(old).Long(value);

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
                rows.Of(Table.Fills).Long(h).Long(i).Long(ev).Long(t).Ref(Bytes(tr.Account.Owner)).Long((long)tr.Account.Number).Long(tr.Market).Long(tr.Size).Long(tr.Quote).Long(tr.Fee).Long(tr.NewSize);
                _traded.Add((tr.Account, tr.Market));
                if (tr.Size != 0)
                {
                    long size = Math.Abs(tr.Size), quote = Math.Abs(tr.Quote);
                    Int128 unit = Pow10(_engine.Markets[tr.Market].BaseQuantumDecimals);
                    rows.Trades.Add(new Trade(t, tr.Market, (long)(quote * unit / size), size, quote));
                }

                break;
            case FundingSettled f:
                Acct(f.Account, 0, "funding", f.Market, f.Amount);
                rows.Of(Table.FundingPayments).Long(h).Long(i).Long(ev).Long(t).Ref(Bytes(f.Account.Owner)).Long((long)f.Account.Number).Long(f.Market).Long(f.Amount);
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

    private static Int128 Pow10(int decimals)
    {
        Int128 v = 1;
        for (int d = 0; d < decimals; d++)
        {
            v = checked(v * 10);
        }

        return v;
    }

    private byte[] Bytes(Address a)
    {
        if (!_addresses.TryGetValue(a, out byte[]? b))
        {
            b = AddressBytes(a);
            _addresses[a] = b;
        }

        return b;
    }

    private string KindOf(EngineAction a)
    {
        Type type = a.GetType();
        if (!_kinds.TryGetValue(type, out string? kind))
        {
            kind = SnakeCase(type.Name);
            _kinds[type] = kind;
        }

        return kind;
    }

    private static string SnakeCase(string n)
    {
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
