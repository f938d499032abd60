using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Sim.Population;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Market;

/// <summary>
/// The arbitrageurs of one venue's perpetual markets: one account with <see cref="ArbitrageSpec.CapitalUsd"/>
/// of the settlement asset, which every block trades each vAMM toward the index (the engine's oracle price of
/// the base asset) when the gap is wider than the taker fee, moving the mark to the index along x·y = k, up to
/// a position of <see cref="ArbitrageSpec.MaxLeverage"/> × its capital per market. They hedge elsewhere (not
/// modelled), so they keep the positions; they act only through <c>PlaceOrder</c>. Also books, per market,
/// the vAMM's inventory PnL (its position marked at the index, end minus start) and the funding the vAMM paid.
/// </summary>
internal sealed class PerpArbitrage
{
    private const int MaxOrders = 6;
    private static readonly AccountKey Key = new(new Address(0x5400_0000UL, 4, 4), 0);
    private readonly ArbitrageSpec? _spec;
    private readonly double[] _ammStart;
    private readonly double[] _funding;
    private readonly Int128[] _lastIndex;

    public PerpArbitrage(VenueState v, ArbitrageSpec? spec)
    {
        _spec = spec;
        Engine e = v.Engine;
        int n = e.Markets.Length;
        _ammStart = new double[n];
        _funding = new double[n];
        _lastIndex = new Int128[n];
        for (int m = 0; m < n; m++)
        {
            _ammStart[m] = AmmValue(e, m);
            _lastIndex[m] = e.Markets[m].FundingIndex;
        }

        if (spec is { CapitalUsd: > 0 })
        {
            int quote = e.Genesis.QuoteAsset;
            e.ImportBalance(Key, MarginMode.Cross, quote, PopulationTemplate.Worth(e, quote, spec.CapitalUsd));
        }
    }

    /// <summary>Orders the engine refused (margin, caps): the arbitrageurs' capital ran out.</summary>
    public int Refused { get; private set; }

    /// <summary>The last refusal, for diagnostics.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Trades every market's vAMM toward the index; returns the trades made.</summary>
    public int Step(VenueState v)
    {
        Engine e = v.Engine;
        Observe(e);
        if (_spec is not { CapitalUsd: > 0 } s)
        {
            return 0;
        }

        int trades = 0;
        int id = e.Accounts.Find(Key);
        foreach (PerpMarket m in e.Markets)
        {
            // Fills must stay inside the market's band around the index, and a trade from mark M to T fills at
            // about √(M·T): a gap wider than the band closes in several orders.
            double band = 0.9 * m.Risk.FillPriceBand / 1e6;
            for (int order = 0; order < MaxOrders; order++)
            {
                double index = e.Pools[m.Config.BaseAsset].Price / 1e8, mark = m.MarkPrice / 1e8;
                double gap = (mark / index) - 1;
                if (Math.Abs(gap) <= (m.Risk.TakerFee / 1e6) + s.Band)
                {
                    break;
                }

                // A mark beyond the band cannot reach the index in one fill inside it: overshoot to where the
                // average fill sits on the band's edge, and come back with the next order.
                double edge = index * (gap > 0 ? 1 + band : 1 - band);
                double target = Math.Sqrt(mark * index) is var avg && (gap > 0 ? avg > edge : avg < edge) ? edge * edge / mark : index;

                // Mark ∝ k / B²: reaching the target needs B' = B·√(mark/target); buy (B − B') base when the mark is low.
                double b = (double)m.BaseReserve;
                double delta = b - (b * Math.Sqrt(mark / target));
                double unit = Math.Pow(10, m.BaseQuantumDecimals);
                double held = id >= 0 ? e.Accounts.Size(id, m.Config.Id) : 0;
                double cap = s.CapitalUsd * s.MaxLeverage / index * unit;
                delta = Math.Clamp(delta, -cap - held, cap - held);
                long size = (long)(delta / m.Config.StepSize) * m.Config.StepSize;
                if (size == 0)
                {
                    break;
                }

                ActionResult r = e.Apply(new PlaceOrder(Key.Owner, Key, m.Config.Id, size, 0, false));
                if (!r.Ok)
                {
                    Refused++;
                    LastRefusal = $"{m.Config.Symbol}: {r.CodeName}: {r.Message}";
                    break;
                }

                trades++;
                id = e.Accounts.Find(Key);
            }
        }

        return trades;
    }

    /// <summary>Accrues the funding the vAMM paid since the last call (its size × the index change; longs pay when it rises).</summary>
    private void Observe(Engine e)
    {
        for (int m = 0; m < e.Markets.Length; m++)
        {
            PerpMarket mk = e.Markets[m];
            long amm = e.Accounts.Size(mk.AmmAccount, m);
            Int128 change = mk.FundingIndex - _lastIndex[m];
            _lastIndex[m] = mk.FundingIndex;
            _funding[m] += (double)amm / Math.Pow(10, mk.BaseQuantumDecimals) * (double)change / 1e9 / Math.Pow(10, e.Pools[e.Genesis.QuoteAsset].Config.QuantumDecimals);
        }
    }

    /// <summary>Per market symbol: the vAMM's inventory PnL (USD) since the start, its position marked at the index.</summary>
    public IEnumerable<(string Market, double Usd)> AmmInventoryPnl(Engine e)
    {
        for (int m = 0; m < e.Markets.Length; m++)
        {
            yield return (e.Markets[m].Config.Symbol, AmmValue(e, m) - _ammStart[m]);
        }
    }

    /// <summary>Per market symbol: funding the vAMM paid (USD; negative when it received).</summary>
    public IEnumerable<(string Market, double Usd)> FundingPaid(Engine e)
    {
        Observe(e);
        for (int m = 0; m < e.Markets.Length; m++)
        {
            yield return (e.Markets[m].Config.Symbol, _funding[m]);
        }
    }

    /// <summary>The vAMM account's position in market <paramref name="m"/> marked at the index: quote + size × index (USD).</summary>
    private static double AmmValue(Engine e, int m)
    {
        PerpMarket mk = e.Markets[m];
        double size = e.Accounts.Size(mk.AmmAccount, m) / Math.Pow(10, mk.BaseQuantumDecimals);
        double quote = e.Accounts.Quote(mk.AmmAccount, m) / Math.Pow(10, e.Pools[e.Genesis.QuoteAsset].Config.QuantumDecimals);
        return quote + (size * e.Pools[mk.Config.BaseAsset].Price / 1e8);
    }
}
