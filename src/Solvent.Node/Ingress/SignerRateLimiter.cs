using System.Diagnostics;
using Solvent.Core.State;

namespace Solvent.Node.Ingress;

/// <summary>
/// A token bucket per signer, checked at ingress after the signature is recovered and before the
/// sequencer sees the action: each signer may send <see cref="RatePerSecond"/> actions a second on
/// average and <see cref="Burst"/> at once. At most <see cref="MaxSigners"/> buckets are kept; a full
/// table first forgets signers whose bucket has refilled (they are indistinguishable from new ones),
/// and while it is still full refuses signers it does not track rather than letting them in unmetered.
/// Thread-safe; integer arithmetic on <see cref="Stopwatch"/> ticks.
/// </summary>
public sealed class SignerRateLimiter
{
    private const long Micro = 1_000_000;
    private readonly Lock _gate = new();
    private readonly Dictionary<Address, Bucket> _buckets = [];
    private readonly Func<long> _clock;
    private readonly long _frequency;
    private readonly long _fullTicks;
    private long? _lastSweep;

    /// <summary>A limiter over the monotonic clock.</summary>
    public SignerRateLimiter(int ratePerSecond, int burst, int maxSigners)
        : this(ratePerSecond, burst, maxSigners, Stopwatch.GetTimestamp, Stopwatch.Frequency)
    {
    }

    /// <summary>A limiter over a given clock (<paramref name="frequency"/> ticks a second), for tests.</summary>
    public SignerRateLimiter(int ratePerSecond, int burst, int maxSigners, Func<long> clock, long frequency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratePerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSigners, 1);
        RatePerSecond = ratePerSecond;
        Burst = burst;
        MaxSigners = maxSigners;
        _clock = clock;
        _frequency = frequency;

        // Ticks an empty bucket takes to refill (rounded up).
        _fullTicks = (long)(((Int128)burst * frequency + ratePerSecond - 1) / ratePerSecond);
    }

    /// <summary>Average actions a second per signer.</summary>
    public int RatePerSecond { get; }

    /// <summary>Actions a signer may send at once.</summary>
    public int Burst { get; }

    /// <summary>Most signers tracked at once.</summary>
    public int MaxSigners { get; }

    /// <summary>Signers tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_gate)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>
    /// Takes one action from <paramref name="signer"/>'s bucket. False when it is empty (or the table is
    /// full of active signers), with the whole seconds after which a retry can succeed.
    /// </summary>
    public bool TryAcquire(Address signer, out int retryAfterSeconds)
    {
        long now = _clock();
        lock (_gate)
        {
            if (!_buckets.TryGetValue(signer, out Bucket? b))
            {
                if (_buckets.Count >= MaxSigners && !Sweep(now))
                {
                    retryAfterSeconds = Seconds(_fullTicks);
                    return false;
                }

                b = new Bucket { Micro = Burst * Micro, Ticks = now };
                _buckets.Add(signer, b);
            }

            Refill(b, now);
            if (b.Micro >= Micro)
            {
                b.Micro -= Micro;
                retryAfterSeconds = 0;
                return true;
            }

            // Ticks until one whole token has dripped in.
            long missing = Micro - b.Micro;
            retryAfterSeconds = Seconds((long)(((Int128)missing * _frequency + ((Int128)RatePerSecond * Micro) - 1) / ((Int128)RatePerSecond * Micro)));
            return false;
        }
    }

    private void Refill(Bucket b, long now)
    {
        long elapsed = now - b.Ticks;
        if (elapsed <= 0)
        {
            return;
        }

        long cap = Burst * Micro;
        b.Micro = elapsed >= _fullTicks ? cap : (long)Int128.Min(cap, b.Micro + ((Int128)elapsed * RatePerSecond * Micro / _frequency));
        b.Ticks = now;
    }

    // Forgets every signer whose bucket has refilled; at most once per refill period, so a table full of
    // active signers costs one pass, not one per request. True when room was made.
    private bool Sweep(long now)
    {
        if (_lastSweep is { } last && now - last < _fullTicks)
        {
            return false;
        }

        _lastSweep = now;
        List<Address>? idle = null;
        foreach ((Address a, Bucket b) in _buckets)
        {
            if (now - b.Ticks >= _fullTicks || b.Micro + ((Int128)(now - b.Ticks) * RatePerSecond * Micro / _frequency) >= Burst * Micro)
            {
                (idle ??= []).Add(a);
            }
        }

        foreach (Address a in idle ?? [])
        {
            _buckets.Remove(a);
        }

        _buckets.TrimExcess();
        return _buckets.Count < MaxSigners;
    }

    private int Seconds(long ticks) => (int)Math.Max(1, Math.Min(int.MaxValue, (ticks + _frequency - 1) / _frequency));

    private sealed class Bucket
    {
        public long Micro { get; set; }

        public long Ticks { get; set; }
    }
}
