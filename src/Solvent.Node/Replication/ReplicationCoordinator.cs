using System.Diagnostics;
using System.Threading.Channels;
using NATS.Client.Core;
using Solvent.Node.Hosting;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Node.Replication;

/// <summary>
/// Runs one replicated node over one recovered runtime. As a follower it applies the block stream through
/// the node's own sequencer loop (re-verifying every signature and both roots) and watches the leader
/// lease; once the lease is free and it has applied the whole stream it takes the lease and sequences,
/// publishing each block to the stream before it is fsynced and acknowledged. A validator signs an
/// attestation of each block it committed. Losing the lease or the stream's fencing makes it step down:
/// <see cref="Restart"/> completes and the host rebuilds the runtime from the local log as a follower.
/// </summary>
public sealed class ReplicationCoordinator : IBlockReplicator, IAsyncDisposable
{
    private readonly NodeRuntime _node;
    private readonly NatsBlockStream _stream;
    private readonly ReplicationOptions _options;
    private readonly ReplicationStatus _status;
    private readonly Action<string> _info;
    private readonly Action<string> _error;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _restart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<Crypto.Settlement.Attestation> _toAttest = Channel.CreateUnbounded<Crypto.Settlement.Attestation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Settlement.SettlementService? _settlement;
    private long _lastCommitmentAttested;
    private readonly Crypto.Eip712Domain _domain;
    private readonly List<Task> _tasks = [];
    private volatile bool _leading;
    private volatile string? _unavailable;
    private volatile string? _noMajority;

    /// <summary>Binds the coordinator to a recovered runtime; call <see cref="Start"/> once the API listens.</summary>
    public ReplicationCoordinator(NodeRuntime node, NatsBlockStream stream, ReplicationOptions options, ReplicationStatus status, Action<string> info, Action<string> error)
    {
        _node = node;
        _stream = stream;
        _options = options;
        _status = status;
        _info = info;
        _error = error;
        _domain = Crypto.Eip712Domain.FromGenesis(node.Genesis);
        _settlement = node.Settlement;
    }

    /// <summary>Completes with a reason when this runtime must be rebuilt from the local log (stepped down, or diverged).</summary>
    public Task<string> Restart => _restart.Task;

    /// <summary>Whether this node holds the lease and sequences.</summary>
    public bool Leading => _leading;

    /// <summary>Starts following, campaigning, attesting and collecting attestations.</summary>
    public void Start()
    {
        _node.Sequencer.BlockCommitted += OnBlock;
        if (_settlement is not null)
        {
            _settlement.Committed += OnCommitment;
        }

        CancellationToken ct = _stop.Token;
        _tasks.Add(Task.Run(() => Guard("replication", () => RunAsync(ct))));
        _tasks.Add(Task.Run(() => Guard("attestation publisher", () => AttestAsync(ct))));
        _tasks.Add(Task.Run(() => Guard("finality", () => CollectAsync(ct))));
        if (_settlement is not null)
        {
            _tasks.Add(Task.Run(() => EndorseAsync(ct)));
        }
    }

    /// <inheritdoc />
    public Ack? Refusal()
    {
        if (!_leading)
        {
            if (_noMajority is { } why)
            {
                return Ack.Refused(NodeErrors.ReplicationUnavailable, why);
            }

            string where = _status.Leader is { Length: > 0 } l ? $"the leader is {l}" : "no leader is elected yet; retry shortly";
            return Ack.Refused(NodeErrors.NotLeader, $"this node is a read replica and does not sequence; {where}");
        }

        return _unavailable is { } u ? Ack.Refused(NodeErrors.ReplicationUnavailable, u) : null;
    }

    /// <inheritdoc />
    public void Replicate(StoredBlock block)
    {
        if (!_leading)
        {
            // The sequencer cut a block it may not publish and stops; rebuild from the log as a follower
            // instead of following with a stopped sequencer.
            StepDown("a block was cut without the leader lease");
            throw new ReplicationFencedException("this node no longer holds the leader lease");
        }

        StoredBlock published = block;
        if (_options.CorruptRootAt == block.Height)
        {
            byte[] wrong = (byte[])block.StateRoot.Clone();
            wrong[^1] ^= 1;
            published = block with { StateRoot = wrong };
        }

        bool reported = false;
        while (true)
        {
            if (_stop.IsCancellationRequested)
            {
                throw new OperationCanceledException("the node is stopping; the block was not acknowledged");
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            attempt.CancelAfter(_options.PublishTimeout);
            long start = Stopwatch.GetTimestamp();
            try
            {
                _stream.AppendAsync(published, attempt.Token).GetAwaiter().GetResult();
                ReplicationMetrics.PublishTime.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
                if (_unavailable is not null)
                {
                    _info($"the block stream stored block {block.Height}; acknowledging again");
                    _unavailable = null;
                }

                return;
            }
            catch (ReplicationFencedException e)
            {
                StepDown(e.Message);
                throw;
            }
            catch (Exception e) when (e is OperationCanceledException or NatsException or TimeoutException && !_stop.IsCancellationRequested)
            {
                // Not stored on a majority (2 of 3 servers down, or a leader election): the same block is
                // retried with the same message id, so a publish that did land is recognised, never doubled.
                _unavailable = $"the block stream has not stored block {block.Height} on a majority of its servers ({e.GetType().Name}); nothing is acknowledged until it does";
                ReplicationMetrics.PublishRetries.Inc();
                if (!reported)
                {
                    _error(_unavailable);
                    reported = true;
                }

                Thread.Sleep(50);
            }
        }
    }

    private void OnBlock(BlockNotice n)
    {
        // At a settlement commitment height the validator signs the whole commitment (state, withdrawals,
        // exit and forced roots: what a vault accepts) instead of the state root alone.
        if (_options.ValidatorKey is not null && (_settlement is null || n.Header.Height % _settlement.Config.CommitEveryBlocks != 0))
        {
            _toAttest.Writer.TryWrite(Crypto.Settlement.Attestation.OfStateRoot((ulong)n.Header.Height, Convert.FromHexString(n.Header.StateRoot.AsSpan(2))));
        }
    }

    // On the sequencer loop, with each commitment this node computed (and again when it is endorsed).
    private void OnCommitment(Settlement.Commitment c)
    {
        if (_options.ValidatorKey is not null && c.Height > Interlocked.Read(ref _lastCommitmentAttested))
        {
            Interlocked.Exchange(ref _lastCommitmentAttested, c.Height);
            _toAttest.Writer.TryWrite(c.Attestation);
        }

        Endorse();
    }

    // A commitment and its finality can arrive in any order, and a rebuilt node computes its commitment again
    // after the attestations were read: look again periodically (cheap: a lookup and a comparison).
    private async Task EndorseAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(250, ct).ConfigureAwait(false);
                Endorse();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                _error($"settlement endorsement skipped: {e.Message}");
            }
        }
    }

    // Hands the validators' threshold signatures on this node's latest commitment to the settlement service
    // (which the poster submits), once the attestation stream made that commitment final. Either may come first.
    private void Endorse()
    {
        if (_settlement?.Latest is not { } c)
        {
            return;
        }

        if (_status.Finality.At(c.Height) is not { } f || f.Signatures.Count <= c.Signatures.Count)
        {
            return;
        }

        AttestationMessage first = f.Signatures[0];
        byte[] digest = Crypto.AttestationTypedData.Digest(_domain, new Crypto.Settlement.Attestation(
            (ulong)first.Height, Convert.FromHexString(first.StateRoot.AsSpan(2)), Convert.FromHexString(first.WithdrawalsRoot.AsSpan(2)),
            Convert.FromHexString(first.ExitRoot.AsSpan(2)), Convert.FromHexString(first.ForcedRoot.AsSpan(2))));
        if (_settlement.Endorse(c.Height, digest, [.. f.Signatures.Select(s => Convert.FromHexString(s.Signature.AsSpan(2)))]))
        {
            _info($"settlement commitment at height {c.Height} endorsed by {f.Signatures.Count} validators");
        }
    }

    private async Task Guard(string what, Func<Task> run)
    {
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            _error($"{what} stopped: {e.GetType().Name}: {e.Message}; rebuilding the node");
            StepDown($"{what} failed");
        }
    }

    private void StepDown(string reason)
    {
        bool was = _leading;
        _leading = false;
        ReplicationMetrics.Leader.Set(0);
        if (was)
        {
            _error($"stepping down: {reason}");
        }

        _restart.TrySetResult(reason);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        long local = _node.Sequencer.View.Head.Height;
        long streamHeight = await Retry(() => _stream.LastHeightAsync(ct), ct).ConfigureAwait(false);
        if (streamHeight == 0 && local > 0 && _options.CanLead && _status.Divergence is null)
        {
            streamHeight = await SeedAsync(local, ct).ConfigureAwait(false);
        }

        if (local > streamHeight)
        {
            _status.Divergence = new ReplicationStatus.DivergenceReport(local, $"the local log ends at height {local} but the block stream at {streamHeight}: this data directory holds blocks the stream never stored");
            ReplicationMetrics.Divergence.Set(1);
            _error(_status.Divergence.Reason);
        }

        _status.StreamHeight = streamHeight;
        if (_status.Divergence is { } d)
        {
            // Serve the last agreed state; never follow, attest or lead past the disagreement.
            _status.Role = "diverged";
            _error($"validator diverged at height {d.Height}: {d.Reason}; serving height {local} and not attesting");
            return;
        }

        _status.Role = "follower";
        using var following = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task follow = FollowAsync(following.Token);
        TimeSpan tick = _options.LeaseTtl / 4;
        long freeSince = 0;
        long unreachableSince = 0;

        // Without a majority of servers nobody can take or renew the lease: after one lease period say so,
        // instead of pointing clients at a leader that may have stepped down or telling them to retry shortly.
        void Unreachable(Exception e)
        {
            unreachableSince = unreachableSince == 0 ? Stopwatch.GetTimestamp() : unreachableSince;
            if (Stopwatch.GetElapsedTime(unreachableSince) > _options.LeaseTtl)
            {
                _noMajority = $"the block stream's servers have no majority ({e.GetType().Name}); no node can sequence until they do";
            }
        }

        void Reachable()
        {
            unreachableSince = 0;
            _noMajority = null;
        }

        while (true)
        {
            await Task.Delay(tick, ct).ConfigureAwait(false);
            if (follow.IsCompleted)
            {
                if (_status.Divergence is not null)
                {
                    return;
                }

                // The consumer gave up (servers down longer than it retries): follow again from the local head.
                if (follow.Exception?.InnerException is { } e)
                {
                    _info($"following the block stream again after {e.GetType().Name}: {e.Message}");
                }

                follow = FollowAsync(following.Token);
            }

            (string Holder, ulong Revision)? holder;
            try
            {
                holder = await _stream.LeaseHolderAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                Unreachable(e);
                continue;
            }

            if (holder is { } h)
            {
                _status.Leader = h.Holder;
                freeSince = 0;
                Reachable();
                continue;
            }

            freeSince = freeSince == 0 ? Stopwatch.GetTimestamp() : freeSince;
            if (!_options.CanLead)
            {
                continue;
            }

            long tip;
            try
            {
                tip = await _stream.LastHeightAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                Unreachable(e);
                continue;
            }

            Reachable();
            _status.StreamHeight = tip;
            if (_node.Sequencer.View.Head.Height != tip)
            {
                continue;
            }

            ulong? revision;
            try
            {
                revision = await _stream.TryTakeLeaseAsync(_options.AdvertiseUrl, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                continue;
            }

            if (revision is not { } rev)
            {
                continue;
            }

            await following.CancelAsync().ConfigureAwait(false);
            try
            {
                await follow.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped following to lead.
            }

            if (_status.Divergence is not null)
            {
                return;
            }

            await LeadAsync(rev, freeSince, ct).ConfigureAwait(false);
            return;
        }
    }

    private async Task LeadAsync(ulong revision, long freeSince, CancellationToken ct)
    {
        // A block a deposed leader appended after our last look is applied first; the lease makes it the last.
        long tip = await Retry(() => _stream.LastHeightAsync(ct), ct).ConfigureAwait(false);
        if (_node.Sequencer.View.Head.Height < tip)
        {
            using var catchUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
            catchUp.CancelAfter(_options.LeaseTtl);
            await FollowAsync(catchUp.Token, until: tip).ConfigureAwait(false);
            if (_node.Sequencer.View.Head.Height < tip || _status.Divergence is not null)
            {
                StepDown($"could not apply the stream up to height {tip} before leading");
                return;
            }
        }

        _status.Role = "leader";
        _status.Leader = _options.AdvertiseUrl;
        _leading = true;
        ReplicationMetrics.Leader.Set(1);
        _status.LastTakeoverMs = freeSince == 0 ? null : (long)Stopwatch.GetElapsedTime(freeSince).TotalMilliseconds;
        _info($"took the leader lease at height {tip}; sequencing (advertised as {_options.AdvertiseUrl})");
        TimeSpan tick = _options.LeaseTtl / 4;
        while (true)
        {
            await Task.Delay(tick, ct).ConfigureAwait(false);
            ulong? renewed;
            try
            {
                renewed = await _stream.TryRenewLeaseAsync(_options.AdvertiseUrl, revision, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // No quorum to renew: keep sequencing; the stream's fencing still stops a second writer.
                continue;
            }

            if (renewed is null)
            {
                // The lease lapses whenever the bucket cannot commit renewals for one lease period (its servers
                // electing a new leader, or no majority at all). Only another node holding it deposes this one:
                // if nobody took it, take it again rather than rebuild, and while the bucket has no majority keep
                // sequencing as on a failed renewal. Safe because the stream's expected-last-sequence fencing
                // refuses this node's next block if anyone else appended since.
                try
                {
                    renewed = await _stream.TryTakeLeaseAsync(_options.AdvertiseUrl, ct).ConfigureAwait(false);
                    if (renewed is null && await _stream.LeaseHolderAsync(ct).ConfigureAwait(false) is { } now && now.Holder == _options.AdvertiseUrl)
                    {
                        renewed = now.Revision;
                    }
                }
                catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
                {
                    continue;
                }

                if (renewed is not null)
                {
                    ReplicationMetrics.LeaseRetaken.Inc();
                    _info("the leader lease had lapsed and nobody held it; took it again and kept sequencing");
                }
            }

            if (renewed is not { } r)
            {
                StepDown("another node holds the leader lease");
                return;
            }

            revision = r;
        }
    }

    private async Task FollowAsync(CancellationToken ct, long until = long.MaxValue)
    {
        long next = _node.Sequencer.View.Head.Height + 1;
        if (next > until)
        {
            return;
        }

        await foreach ((long seq, StoredBlock? block, DateTimeOffset at) in _stream.ReadAsync(next, ct).ConfigureAwait(false))
        {
            long height = _node.Sequencer.View.Head.Height;
            if (seq <= height)
            {
                continue;
            }

            string? problem = block is null ? $"stream sequence {seq} does not hold a readable block"
                : block.Height != seq ? $"stream sequence {seq} holds block {block.Height}"
                : await _node.Sequencer.ApplyReplicatedAsync(block, _node.Decoder).ConfigureAwait(false);
            if (problem is not null)
            {
                _status.Divergence = new ReplicationStatus.DivergenceReport(seq, problem);
                ReplicationMetrics.Divergence.Set(1);
                _error($"validator divergence at height {seq}: {problem}; not attesting, serving height {height}");
                StepDown("diverged");
                return;
            }

            ReplicationMetrics.Lag.Observe(Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds));
            _status.StreamHeight = Math.Max(_status.StreamHeight, seq);
            if (seq >= until)
            {
                return;
            }
        }
    }

    private async Task<long> SeedAsync(long local, CancellationToken ct)
    {
        _info($"the block stream is empty; publishing this node's {local} logged blocks to it");
        for (long h = 1; h <= local; h++)
        {
            StoredBlock b = _node.Sequencer.Log.Read(h)!;
            await _stream.AppendAsync(b, ct).ConfigureAwait(false);
        }

        return local;
    }

    private async Task AttestAsync(CancellationToken ct)
    {
        byte[] key = _options.ValidatorKey!;
        if (key is null)
        {
            return;
        }

        await foreach (Crypto.Settlement.Attestation a in _toAttest.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            AttestationMessage m = FinalityTracker.Sign(_domain, key, a);
            await Retry(async () =>
            {
                await _stream.PublishAttestationAsync(m, ct).ConfigureAwait(false);
                return 0;
            }, ct).ConfigureAwait(false);
        }
    }

    private async Task CollectAsync(CancellationToken ct)
    {
        // Finality is a read-side view: losing the attestation stream (servers down longer than the ordered
        // consumer retries) must never make a leader step down; read again from the next unseen attestation.
        long next = 1;
        while (true)
        {
            try
            {
                await foreach ((long seq, AttestationMessage? m) in _stream.ReadAttestationsAsync(next, ct).ConfigureAwait(false))
                {
                    next = Math.Max(next, seq + 1);
                    if (m is not null && _status.Finality.Add(m))
                    {
                        Endorse();
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _info($"reading attestations again from stream sequence {next} after {e.GetType().Name}: {e.Message}");
            }

            await Task.Delay(250, ct).ConfigureAwait(false);
        }
    }

    private static async Task<T> Retry<T>(Func<Task<T>> run, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _node.Sequencer.BlockCommitted -= OnBlock;
        if (_settlement is not null)
        {
            _settlement.Committed -= OnCommitment;
        }

        _leading = false;
        ReplicationMetrics.Leader.Set(0);
        await _stop.CancelAsync().ConfigureAwait(false);
        _toAttest.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _error("replication tasks did not stop within 5 s");
        }

        _stop.Dispose();
    }
}
