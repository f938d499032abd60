namespace Solvent.Sim.Distributed;

/// <summary>
/// Names and timings of a distributed stress run's JetStream objects. Coordinators and workers that share a
/// <see cref="Prefix"/> work together; another prefix is a separate pool (tests use one each).
/// </summary>
public sealed record DistributedOptions
{
    /// <summary>Comma-separated NATS URLs.</summary>
    public required string NatsUrls { get; init; }

    /// <summary>Prefix of every stream, subject, consumer and bucket name.</summary>
    public string Prefix { get; init; } = "solvent-stress";

    /// <summary>A delivered path not acknowledged (nor reported in progress) for this long is delivered again.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries of one path before JetStream gives up on it (the coordinator then fails the run).</summary>
    public int MaxDeliver { get; init; } = 5;

    /// <summary>JetStream replicas of the streams and the scenario bucket (1 on a single server, 3 on the test cluster).</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The coordinator fails the run when no new path result arrives for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    internal string Token => Prefix.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    internal string WorkStream => Token + "_WORK";

    internal string ResultStream => Token + "_RESULTS";

    internal string ScenarioBucket => Prefix.Replace('.', '-') + "-scenarios";

    internal string Consumer => Prefix.Replace('.', '-') + "-workers";

    internal string WorkSubject(string runId) => $"{Prefix}.work.{runId}";

    internal string WorkSubjects => $"{Prefix}.work.>";

    internal string ResultSubject(string runId) => $"{Prefix}.result.{runId}";

    internal string ResultSubjects => $"{Prefix}.result.>";

    internal string LargeResultKey(string runId, int path) => $"result-{runId}-{path}";
}
