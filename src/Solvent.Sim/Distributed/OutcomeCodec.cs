using System.Text;
using Solvent.Sim.Running;

namespace Solvent.Sim.Distributed;

/// <summary>
/// Lossless binary form of a <see cref="PathOutcome"/>: every double as its raw IEEE-754 bits, dictionaries and
/// lists in their enumeration order, so a decoded outcome summarizes to the same bytes as the original.
/// </summary>
internal static class OutcomeCodec
{
    private const int Version = 1;

    public static byte[] Encode(PathOutcome o)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(o.Path);
            D(w, o.BadDebtUsd);
            D(w, o.RealizedBadDebtUsd);
            D(w, o.UnrealizedBadDebtUsd);
            w.Write(o.Liquidations);
            D(w, o.LiquidatedDebtUsd);
            D(w, o.LiquidationVolumeUsd);
            D(w, o.InsuranceStartUsd);
            D(w, o.InsuranceEndUsd);
            D(w, o.InsuranceUsedUsd);
            D(w, o.InsuranceMaxDrawdown);
            D(w, o.AdlVolumeUsd);
            D(w, o.SocializedUsd);
            w.Write(o.Exhausted);
            D(w, o.Efficiency);
            w.Write(o.KeeperSkips);
            w.Write(o.BehaviourActions);
            D(w, o.MinPriceRatio);
            w.Write(o.RiskAdjustments);
            w.Write(o.OracleClamps);
            w.Write(o.OraclePauses);
            w.Write(o.RepegsRefused);
            D(w, o.BookUsd);
            D(w, o.NetFundUsd);
            Map(w, o.SocializedByPool);
            w.Write(o.PriceFingerprint);
            w.Write(o.Segments.Count);
            foreach (PathSegment seg in o.Segments)
            {
                w.Write(seg.Venue);
                w.Write(seg.Symbol);
                w.Write(seg.IsMarket);
                SegmentFigures f = seg.Figures;
                foreach (double x in (double[])[f.BookUsd, f.CollateralUsd, f.BadDebtUsd, f.UnderwaterUsd, f.LiquidationVolumeUsd, f.InsurancePaidUsd, f.SocializedUsd, f.AdlVolumeUsd, f.AdlLossUsd, f.AmmInventoryPnlUsd, f.FundingPaidUsd])
                {
                    D(w, x);
                }
            }

            w.Write(o.FirstLoss is not null);
            if (o.FirstLoss is { } fl)
            {
                w.Write(fl.Segment);
                w.Write(fl.Seconds);
                D(w, fl.Move);
            }

            Map(w, o.AmmInventoryPnlUsd);
            Map(w, o.FundingPaidUsd);
            w.Write(o.ArbitrageTrades);
            w.Write(o.ArbitrageRefused);
            w.Write(o.ArbitrageLastRefusal is not null);
            if (o.ArbitrageLastRefusal is { } lr)
            {
                w.Write(lr);
            }

            w.Write(o.Series is not null);
            if (o.Series is { } series)
            {
                w.Write(series.Count);
                foreach (SeriesPoint p in series)
                {
                    w.Write(p.Time);
                    Arr(w, p.Reference);
                    Arr(w, p.Market);
                    Arr(w, p.Oracle);
                    Arr(w, p.EnginePrice);
                    D(w, p.CollateralUsd);
                    D(w, p.DebtUsd);
                    w.Write(p.AtRisk);
                    w.Write(p.Liquidations);
                    D(w, p.LiquidationVolumeUsd);
                    D(w, p.InsuranceUsd);
                    D(w, p.AdlVolumeUsd);
                    D(w, p.BadDebtUsd);
                    D(w, p.Utilization);
                    D(w, p.BorrowApr);
                }
            }
        }

        return ms.ToArray();
    }

    /// <summary>Decodes <see cref="Encode"/>'s bytes; anything malformed is an <see cref="InvalidDataException"/>.</summary>
    public static PathOutcome Decode(ReadOnlySpan<byte> bytes)
    {
        using var ms = new MemoryStream(bytes.ToArray(), writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        try
        {
            int version = r.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"path outcome format {version}, expected {Version}");
            }

            int path = r.ReadInt32();
            double bad = D(r), realized = D(r), unrealized = D(r);
            int liq = r.ReadInt32();
            double liqDebt = D(r), liqVol = D(r), insStart = D(r), insEnd = D(r), insUsed = D(r), insDraw = D(r), adl = D(r), soc = D(r);
            bool exhausted = r.ReadBoolean();
            double eff = D(r);
            int skips = r.ReadInt32(), behaviour = r.ReadInt32();
            double minRatio = D(r);
            int adj = r.ReadInt32(), clamps = r.ReadInt32(), pauses = r.ReadInt32(), repegs = r.ReadInt32();
            double book = D(r), netFund = D(r);
            Dictionary<string, double> byPool = Map(r);
            ulong fingerprint = r.ReadUInt64();
            var segments = new PathSegment[Count(r, 1 << 20)];
            for (int i = 0; i < segments.Length; i++)
            {
                string venue = r.ReadString(), symbol = r.ReadString();
                bool isMarket = r.ReadBoolean();
                var f = new SegmentFigures
                {
                    BookUsd = D(r),
                    CollateralUsd = D(r),
                    BadDebtUsd = D(r),
                    UnderwaterUsd = D(r),
                    LiquidationVolumeUsd = D(r),
                    InsurancePaidUsd = D(r),
                    SocializedUsd = D(r),
                    AdlVolumeUsd = D(r),
                    AdlLossUsd = D(r),
                    AmmInventoryPnlUsd = D(r),
                    FundingPaidUsd = D(r),
                };
                segments[i] = new PathSegment(venue, symbol, isMarket, f);
            }

            FirstLoss? first = r.ReadBoolean() ? new FirstLoss(r.ReadString(), r.ReadInt64(), D(r)) : null;
            Dictionary<string, double> amm = Map(r), funding = Map(r);
            int arbTrades = r.ReadInt32(), arbRefused = r.ReadInt32();
            string? lastRefusal = r.ReadBoolean() ? r.ReadString() : null;
            List<SeriesPoint>? series = null;
            if (r.ReadBoolean())
            {
                int n = Count(r, 1 << 24);
                series = new List<SeriesPoint>(Math.Min(n, 1 << 16));
                for (int i = 0; i < n; i++)
                {
                    series.Add(new SeriesPoint(
                        r.ReadInt64(), Arr(r), Arr(r), Arr(r), Arr(r), D(r), D(r), r.ReadInt32(), r.ReadInt32(), D(r), D(r), D(r), D(r), D(r), D(r)));
                }
            }

            if (ms.Position != ms.Length)
            {
                throw new InvalidDataException($"{ms.Length - ms.Position} trailing byte(s) after a path outcome");
            }

            return new PathOutcome(
                path, bad, realized, unrealized, liq, liqDebt, liqVol, insStart, insEnd, insUsed, insDraw, adl, soc, exhausted, eff, skips, behaviour,
                minRatio, adj, clamps, pauses, repegs, series)
            {
                BookUsd = book,
                NetFundUsd = netFund,
                SocializedByPool = byPool,
                PriceFingerprint = fingerprint,
                Segments = segments,
                FirstLoss = first,
                AmmInventoryPnlUsd = amm,
                FundingPaidUsd = funding,
                ArbitrageTrades = arbTrades,
                ArbitrageRefused = arbRefused,
                ArbitrageLastRefusal = lastRefusal,
            };
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or IOException or ArgumentException)
        {
            throw new InvalidDataException("truncated or malformed path outcome: " + e.Message, e);
        }
    }

    private static void D(BinaryWriter w, double x) => w.Write(BitConverter.DoubleToInt64Bits(x));

    private static double D(BinaryReader r) => BitConverter.Int64BitsToDouble(r.ReadInt64());

    private static void Arr(BinaryWriter w, double[] xs)
    {
        w.Write(xs.Length);
        foreach (double x in xs)
        {
            D(w, x);
        }
    }

    private static double[] Arr(BinaryReader r)
    {
        var xs = new double[Count(r, 1 << 16)];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = D(r);
        }

        return xs;
    }

    private static void Map(BinaryWriter w, IReadOnlyDictionary<string, double> m)
    {
        w.Write(m.Count);
        foreach ((string k, double v) in m)
        {
            w.Write(k);
            D(w, v);
        }
    }

    private static Dictionary<string, double> Map(BinaryReader r)
    {
        int n = Count(r, 1 << 20);
        var m = new Dictionary<string, double>(n);
        for (int i = 0; i < n; i++)
        {
            string k = r.ReadString();
            if (!m.TryAdd(k, D(r)))
            {
                throw new InvalidDataException($"duplicate key {k} in a path outcome");
            }
        }

        return m;
    }

    private static int Count(BinaryReader r, int max)
    {
        int n = r.ReadInt32();
        return n >= 0 && n <= max ? n : throw new InvalidDataException($"count {n} out of range in a path outcome");
    }
}
