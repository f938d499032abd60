using Prometheus;

namespace Solvent.Node.Metrics;

/// <summary>Prometheus metrics of the node (served at <c>GET /metrics</c>); rates such as actions/s come from the counters.</summary>
public static class NodeMetrics
{
    /// <summary>Actions sequenced into blocks (rate = actions/s), by engine outcome.</summary>
    public static readonly Counter Actions = Prometheus.Metrics.CreateCounter("solvent_actions_total", "Actions sequenced into blocks", "outcome");

    /// <summary>Actions refused before sequencing, by code.</summary>
    public static readonly Counter Refused = Prometheus.Metrics.CreateCounter("solvent_actions_refused_total", "Actions refused at ingress or by the nonce check", "code");

    /// <summary>Blocks committed.</summary>
    public static readonly Counter Blocks = Prometheus.Metrics.CreateCounter("solvent_blocks_total", "Blocks committed");

    /// <summary>Time from cutting a block to acknowledging its actions (apply + append + fsync).</summary>
    public static readonly Histogram BlockLatency = Prometheus.Metrics.CreateHistogram(
        "solvent_block_latency_seconds", "Cut-to-acknowledge time of a block", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    /// <summary>fsync time of a block append.</summary>
    public static readonly Histogram FsyncTime = Prometheus.Metrics.CreateHistogram(
        "solvent_fsync_seconds", "Append + fsync time of one block", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16) });

    /// <summary>Actions waiting for the sequencer.</summary>
    public static readonly Gauge QueueDepth = Prometheus.Metrics.CreateGauge("solvent_queue_depth", "Actions waiting for the sequencer");

    /// <summary>Height of the last committed block.</summary>
    public static readonly Gauge Height = Prometheus.Metrics.CreateGauge("solvent_block_height", "Height of the last committed block");

    /// <summary>Liquidatable subaccounts after the last block.</summary>
    public static readonly Gauge Liquidatable = Prometheus.Metrics.CreateGauge("solvent_liquidatable_accounts", "Liquidatable subaccounts after the last block");

    /// <summary>Snapshots that could not be written (the blocks stay durable; the next start replays more).</summary>
    public static readonly Counter SnapshotFailures = Prometheus.Metrics.CreateCounter("solvent_snapshot_failures_total", "Snapshots that could not be written");

    /// <summary>Which secp256k1 back end recovers signers: 1 for the one in use (label backend = libsecp256k1 or bouncycastle).</summary>
    public static readonly Gauge SignatureBackend = Prometheus.Metrics.CreateGauge("solvent_signature_backend", "secp256k1 back end in use (1)", "backend");

    /// <summary>Open stream connections.</summary>
    public static readonly Gauge StreamClients = Prometheus.Metrics.CreateGauge("solvent_stream_clients", "Open WebSocket stream connections");

    /// <summary>Topics held over all stream connections.</summary>
    public static readonly Gauge StreamSubscriptions = Prometheus.Metrics.CreateGauge("solvent_stream_subscriptions", "Topics held over all stream connections");

    /// <summary>Subscribe requests refused because the connection held the most topics allowed.</summary>
    public static readonly Counter StreamSubscriptionsRefused = Prometheus.Metrics.CreateCounter("solvent_stream_subscriptions_refused_total", "Subscribe requests refused for too many subscriptions on one connection");

    /// <summary>Stream connections the node closed, by reason (lagged: too many blocks behind).</summary>
    public static readonly Counter StreamDisconnects = Prometheus.Metrics.CreateCounter("solvent_stream_disconnects_total", "Stream connections closed by the node", "reason");

    /// <summary>Actions refused by the per-signer rate limit.</summary>
    public static readonly Counter RateLimited = Prometheus.Metrics.CreateCounter("solvent_rate_limited_total", "Actions refused by the per-signer rate limit");

    /// <summary>Signers the rate limiter tracks.</summary>
    public static readonly Gauge RateLimitedSigners = Prometheus.Metrics.CreateGauge("solvent_rate_limit_signers", "Signers tracked by the per-signer rate limiter");
}
