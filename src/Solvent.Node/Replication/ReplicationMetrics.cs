using Prometheus;

namespace Solvent.Node.Replication;

/// <summary>Prometheus metrics of replication.</summary>
public static class ReplicationMetrics
{
    /// <summary>1 while this validator computed a different root than the stream's block (it stopped attesting), else 0.</summary>
    public static readonly Gauge Divergence = Prometheus.Metrics.CreateGauge("solvent_validator_divergence", "1 when this node's re-executed root differs from a streamed block's");

    /// <summary>1 while this node holds the leader lease.</summary>
    public static readonly Gauge Leader = Prometheus.Metrics.CreateGauge("solvent_replication_leader", "1 while this node holds the leader lease and sequences");

    /// <summary>Latest height with a threshold of validator attestations.</summary>
    public static readonly Gauge FinalHeight = Prometheus.Metrics.CreateGauge("solvent_final_height", "Latest height attested by a threshold of validators");

    /// <summary>Publishes of a block the stream did not acknowledge in time (retried).</summary>
    public static readonly Counter PublishRetries = Prometheus.Metrics.CreateCounter("solvent_replication_publish_retries_total", "Block publishes retried because the stream did not acknowledge");

    /// <summary>Times a leader found its lease lapsed with nobody holding it and took it again instead of stepping down.</summary>
    public static readonly Counter LeaseRetaken = Prometheus.Metrics.CreateCounter("solvent_replication_lease_retaken_total", "Leader leases that lapsed unheld and were taken again by the same leader");

    /// <summary>Time from a block's publish to the stream's acknowledgement.</summary>
    public static readonly Histogram PublishTime = Prometheus.Metrics.CreateHistogram(
        "solvent_replication_publish_seconds", "Publish-to-acknowledgement time of a block on the stream", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    /// <summary>Time from the stream storing a block to this follower having applied and logged it.</summary>
    public static readonly Histogram Lag = Prometheus.Metrics.CreateHistogram(
        "solvent_validator_lag_seconds", "Stream-stored to follower-applied time of a block", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
}
