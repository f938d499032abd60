using System.CommandLine;
using NATS.Client.Core;
using Solvent.Sim.Distributed;
using Solvent.Sim.Scenarios;

namespace Solvent.Cli.Commands;

/// <summary>The options of distributed stress runs shared by the coordinator (<c>stress run --nats</c>) and <c>stress worker</c>.</summary>
internal sealed class StressNatsOptions
{
    private readonly Option<string?> _prefix = new("--nats-prefix") { Description = "Prefix of the JetStream streams, consumer and bucket (default solvent-stress); workers and coordinators must agree" };
    private readonly Option<double?> _ackWait = new("--nats-ack-wait") { Description = "Seconds without an ack or progress report before a path is delivered to another worker (default 30)" };
    private readonly Option<int?> _replicas = new("--nats-replicas") { Description = "JetStream replicas of the work and result streams (default 1; 3 on a 3-server cluster)" };

    public Option<string?> Urls { get; } = new("--nats") { Description = "Comma-separated NATS URLs: run the paths on `solvent stress worker` processes through JetStream" };

    public void AddTo(Command cmd, bool urls)
    {
        if (urls)
        {
            cmd.Options.Add(Urls);
        }

        cmd.Options.Add(_prefix);
        cmd.Options.Add(_replicas);
        cmd.Options.Add(_ackWait);
    }

    /// <summary>The options, or null when <c>--nats</c> was not given.</summary>
    public DistributedOptions? Read(ParseResult p)
    {
        if (p.GetValue(Urls) is not { } urls)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(urls))
        {
            throw new ScenarioException("--nats", "give one or more NATS URLs, comma-separated (nats://host:4222)");
        }

        int replicas = p.GetValue(_replicas) ?? 1;
        if (replicas is < 1 or > 5)
        {
            throw new ScenarioException("--nats-replicas", "must be 1 to 5");
        }

        string prefix = p.GetValue(_prefix) ?? "solvent-stress";
        if (prefix.Length is 0 or > 64 || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ScenarioException("--nats-prefix", "must be 1 to 64 letters, digits, '-' or '_'");
        }

        double ackWait = p.GetValue(_ackWait) ?? 30;
        if (!(ackWait is >= 1 and <= 3600))
        {
            throw new ScenarioException("--nats-ack-wait", "must be 1 to 3600 seconds");
        }

        return new DistributedOptions { NatsUrls = urls, Prefix = prefix, Replicas = replicas, AckWait = TimeSpan.FromSeconds(ackWait) };
    }

    /// <summary>Runs <paramref name="body"/>; a NATS failure becomes an input error naming <c>--nats</c>.</summary>
    public static T Nats<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            throw new ScenarioException("--nats", $"NATS JetStream: {e.Message}");
        }
    }
}
