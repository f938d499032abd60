using Solvent.Node.Sequencing;

namespace Solvent.Node.Web;

/// <summary>One block's insurance funds: per pool in the asset's quantums with its price, per perp market in quote quantums.</summary>
public sealed record InsurancePoint(long Height, long Time, long[] PoolInsurance, long[] PoolPrices, long[] MarketInsurance);

/// <summary>
/// The insurance funds of the last <see cref="Capacity"/> blocks, recorded from the block-committed hook. Not
/// consensus state: it is refilled at start from the blocks recovery replays (those after the snapshot it restores) and only
/// serves the web app's chart.
/// </summary>
public sealed class InsuranceHistory(int capacity = InsuranceHistory.DefaultCapacity)
{
    /// <summary>Blocks kept by default.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly InsurancePoint?[] _ring = new InsurancePoint?[capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity))];
    private readonly Lock _gate = new();
    private long _written;

    /// <summary>Most blocks kept.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Records a committed block (called on the sequencer thread; cheap).</summary>
    public void Record(BlockNotice notice)
    {
        var v = notice.View;
        var point = new InsurancePoint(
            notice.Header.Height,
            notice.Header.Time,
            [.. v.Assets.Select(a => long.Parse(a.Insurance.Raw, System.Globalization.CultureInfo.InvariantCulture))],
            [.. v.Assets.Select(a => long.Parse(a.Price.Raw, System.Globalization.CultureInfo.InvariantCulture))],
            [.. v.Markets.Select(m => long.Parse(m.Insurance.Raw, System.Globalization.CultureInfo.InvariantCulture))]);
        Add(point);
    }

    /// <summary>Records the engine's state just after block <paramref name="height"/> (recovery's replay, which has no view).</summary>
    public void Record(long height, long time, Solvent.Core.Engine e)
    {
        var pools = new long[e.Pools.Length];
        var prices = new long[e.Pools.Length];
        for (int a = 0; a < pools.Length; a++)
        {
            pools[a] = e.Pools[a].Insurance;
            prices[a] = e.Pools[a].Price;
        }

        var markets = new long[e.Markets.Length];
        for (int m = 0; m < markets.Length; m++)
        {
            markets[m] = e.Markets[m].Insurance;
        }

        Add(new InsurancePoint(height, time, pools, prices, markets));
    }

    private void Add(InsurancePoint point)
    {
        lock (_gate)
        {
            _ring[_written % _ring.Length] = point;
            _written++;
        }
    }

    /// <summary>The kept blocks, oldest first.</summary>
    public InsurancePoint[] Points()
    {
        lock (_gate)
        {
            int n = (int)Math.Min(_written, _ring.Length);
            var list = new InsurancePoint[n];
            for (int i = 0; i < n; i++)
            {
                list[i] = _ring[(_written - n + i) % _ring.Length]!;
            }

            return list;
        }
    }
}
