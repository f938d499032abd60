using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Market;

/// <summary>
/// A Chainlink-style feed for one asset: a round every update interval reads the reference price (the
/// aggregated wider market, not the pool the venue's keepers sell into: a venue's own liquidations barely
/// move a many-exchange median) of <c>lag</c> seconds earlier and publishes it when it differs from the
/// last answer by at least the deviation threshold or the heartbeat is due. Publishing means a
/// <c>SetOraclePrice</c> to each venue.
/// </summary>
internal sealed class OracleFeed(OracleSpec spec, long stepSeconds, double initial)
{
    private readonly int _lagSteps = (int)Math.Round(spec.LagSeconds / (double)stepSeconds);
    private long _lastPublish;

    /// <summary>Last published price (USD).</summary>
    public double Answer { get; private set; } = initial;

    /// <summary>Decides the round at step <paramref name="step"/> given the reference history; true when a new answer is published.</summary>
    public bool Round(int step, double[] referenceHistory)
    {
        long now = step * stepSeconds;
        long prev = (step - 1) * stepSeconds;
        // A round happens when an interval boundary falls in (prev, now].
        if (step > 0 && now / spec.IntervalSeconds == prev / spec.IntervalSeconds)
        {
            return false;
        }

        double seen = referenceHistory[Math.Max(0, step - _lagSteps)];
        bool deviates = Math.Abs((seen / Answer) - 1) >= spec.Deviation;
        bool heartbeat = now - _lastPublish >= spec.HeartbeatSeconds;
        if (!deviates && !heartbeat)
        {
            return false;
        }

        _lastPublish = now;
        if (seen == Answer)
        {
            return false;
        }

        Answer = seen;
        return true;
    }
}
