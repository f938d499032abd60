using System.Diagnostics;
using System.Threading.Channels;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Node.Ingress;
using Solvent.Node.Metrics;
using Solvent.Node.Recovery;
using Solvent.Node.Views;
using Solvent.Storage;

namespace Solvent.Node.Sequencing;

/// <summary>
/// The single writer (LMAX style): one loop owns the engine, the nonce table and the log. Actions
/// arrive already verified through a channel; each is nonce-checked in arrival order, and a block is cut
/// after <see cref="SequencerOptions.BlockIntervalMs"/> or <see cref="SequencerOptions.MaxBlockActions"/>,
/// applied, appended and fsynced; only then is each action acknowledged and a new
/// <see cref="ChainView"/> published. Read queries run on the same loop between blocks.
/// </summary>
public sealed class Sequencer : IAsyncDisposable
{
    private readonly ChainState _chain;
    private readonly SequencerOptions _options;
    private readonly Action<string> _log;
    private readonly Channel<WorkItem> _queue;
    private readonly RiskIndex _risk;
    private readonly KnownSigners _signers;
    private readonly List<Pending> _pending = [];
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private volatile ChainView _view;
    private volatile string? _fault;
    private volatile bool _crashed;
    private int _depth;

    /// <summary>Starts the loop over a recovered chain.</summary>
    public Sequencer(ChainState chain, SequencerOptions options, Action<string> log)
    {
        _chain = chain;
        _options = options;
        _log = log;
        _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
        _risk = new RiskIndex(chain.Engine);
        _signers = new KnownSigners(chain.Engine);
        Engine e = chain.Engine;
        StoredBlock? last = chain.Log.Read(e.Height);
        _view = ChainView.Of(e, HeaderOf(last, e, 0), _risk.Tick(), chain.Sequence);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Raised on the sequencer loop after each committed block (handlers must not block).</summary>
    public event Action<BlockNotice>? BlockCommitted;

    /// <summary>The read model of the last committed block.</summary>
    public ChainView View => _view;

    /// <summary>Why the sequencer stopped taking actions, or null while healthy.</summary>
    public string? Fault => _fault;

    /// <summary>Why and with which code reads and actions are refused now that the loop has stopped; null while it runs.</summary>
    public SequencerUnavailableException? Stopped => _fault is { } f ? new SequencerUnavailableException(StoppedCode, f) : null;

    /// <summary>
    /// The replicated block stream each block goes to before the local fsync and the acknowledgements, or null
    /// for a single node. Set before the node takes traffic.
    /// </summary>
    public IBlockReplicator? Replicator { get; set; }

    /// <summary>Actions waiting in the queue.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>The log (committed blocks are readable from any thread).</summary>
    public BlockLog Log => _chain.Log;

    /// <summary>Queues a verified action; completes once its block is durable (or it is refused).</summary>
    public Task<Ack> SubmitAsync(DecodedAction action, byte[] raw)
    {
        if (_fault is { } f)
        {
            return Task.FromResult(Ack.Refused(StoppedCode, f));
        }

        if (Replicator?.Refusal() is { } refused)
        {
            NodeMetrics.Refused.WithLabels(refused.Code).Inc();
            return Task.FromResult(refused);
        }

        if (Volatile.Read(ref _depth) >= _options.QueueCapacity)
        {
            return Task.FromResult(Ack.Refused(NodeErrors.Overloaded, $"more than {_options.QueueCapacity} actions are waiting; retry later"));
        }

        var item = new Submission(action, raw);
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            return Task.FromResult(Ack.Refused(NodeErrors.Unavailable, "the node is shutting down"));
        }

        return item.Done.Task;
    }

    /// <summary>
    /// Queues an action the node signs itself (the <c>--dev</c> faucet): <paramref name="sign"/> runs on
    /// the sequencer loop with the signer's next nonce, so the node's own actions never race on nonces.
    /// </summary>
    public Task<Ack> SubmitOwnAsync(Address signer, Func<ulong, (DecodedAction Action, byte[] Raw)> sign)
    {
        if (_fault is { } f)
        {
            return Task.FromResult(Ack.Refused(StoppedCode, f));
        }

        if (Replicator?.Refusal() is { } refused)
        {
            return Task.FromResult(refused);
        }

        var item = new OwnSubmission(signer, sign);
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            return Task.FromResult(Ack.Refused(NodeErrors.Unavailable, "the node is shutting down"));
        }

        return item.Done.Task;
    }

    /// <summary>
    /// Queues an action the node's bridge sequences from a vault chain (no signature, no nonce); completes once
    /// its block is durable. Never reachable from signed ingress.
    /// </summary>
    public Task<Ack> SubmitSystemAsync(SystemAction action)
    {
        if (_fault is { } f)
        {
            return Task.FromResult(Ack.Refused(StoppedCode, f));
        }

        var item = new Submission(new DecodedAction(action, Address.Zero, 0), Crypto.SystemActionCodec.Encode(action)) { System = true };
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            return Task.FromResult(Ack.Refused(NodeErrors.Unavailable, "the node is shutting down"));
        }

        return item.Done.Task;
    }

    /// <summary>
    /// Cuts a block now even when no action waits (an empty block when none does), so a commitment height is
    /// reached on an idle chain; completes once the block is durable.
    /// </summary>
    public Task CutNowAsync()
    {
        // Only a node that sequences cuts blocks: a read replica of a replicated deployment never does (its
        // blocks come from the stream), and a leader that cannot replicate now has nothing to add.
        var item = new CutRequest();
        if (_fault is not null || Replicator?.Refusal() is not null || !_queue.Writer.TryWrite(item))
        {
            return Task.CompletedTask;
        }

        return item.Done.Task;
    }

    /// <summary>Raised on the sequencer loop after a block is applied and durable, with the engine at that block (handlers must not block long or mutate).</summary>
    public event Action<Engine>? BlockApplied;

    /// <summary>
    /// Applies a block another node sequenced (a follower reading the block stream): re-verifies every
    /// signature and nonce, re-executes it, and only when both roots equal the block's stores it locally and
    /// publishes it like a block of its own. Completes with null, or with why the block disagrees; after a
    /// disagreement the engine is past the last agreed block, so the caller must reload from the log.
    /// </summary>
    public Task<string?> ApplyReplicatedAsync(StoredBlock block, IActionDecoder decoder) =>
        QueryChainAsync<string?>(c =>
        {
            if (block.Height != c.Engine.Height + 1)
            {
                return $"block {block.Height} does not follow height {c.Engine.Height}";
            }

            long first = c.Sequence + 1;
            var signers = new Address[block.Actions.Count];
            BlockResult result;
            try
            {
                result = BlockReplayer.Replay(c.Engine, c.Nonces, c.Accounts, decoder, block, signers, drainDirty: false);
            }
            catch (RecoveryException e)
            {
                return e.Message;
            }

            _signers.Refresh(c.Engine);
            c.Log.Append(block);
            Committed(block, result, first, signers, null);
            return null;
        });

    /// <summary>Runs a read on the sequencer loop between blocks, where the engine is consistent.</summary>
    public Task<T> QueryAsync<T>(Func<Engine, T> read) => QueryChainAsync(c => read(c.Engine));

    /// <summary>
    /// Runs a read of the whole chain state (engine and nonces) on the sequencer loop between blocks.
    /// Once the loop has stopped (fault or shutdown) the task fails with <see cref="SequencerUnavailableException"/>.
    /// </summary>
    public Task<T> QueryChainAsync<T>(Func<ChainState, T> read)
    {
        if (_fault is { } f)
        {
            return Task.FromException<T>(new SequencerUnavailableException(StoppedCode, f));
        }

        var q = new Query<T>(read);
        if (!_queue.Writer.TryWrite(q))
        {
            q.Cancel(StoppedCode, _fault ?? "the node is shutting down");
        }

        return q.Done.Task;
    }

    // A crash of the loop is a fault the operator must see; a shutdown is merely unavailability.
    private string StoppedCode => _crashed ? NodeErrors.SequencerFaulted : NodeErrors.Unavailable;

    private async Task RunAsync()
    {
        ChannelReader<WorkItem> reader = _queue.Reader;
        var cutTimer = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (_pending.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                else
                {
                    long left = _options.BlockIntervalMs - cutTimer.ElapsedMilliseconds;
                    if (left > 0 && !reader.TryPeek(out _))
                    {
                        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                        wait.CancelAfter(TimeSpan.FromMilliseconds(left));
                        try
                        {
                            await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                        {
                            // The interval ran out: cut below.
                        }
                    }
                }

                while (_pending.Count < _options.MaxBlockActions && reader.TryRead(out WorkItem? item))
                {
                    if (item is OwnSubmission own)
                    {
                        (DecodedAction a, byte[] raw) signed;
                        try
                        {
                            signed = own.Sign(_chain.Nonces.NextOf(own.Signer));
                        }
                        catch (Exception e)
                        {
                            // Answer the caller, then stop like any other failure of the loop.
                            own.Done.TrySetResult(Ack.Refused(NodeErrors.SequencerFaulted, e.Message));
                            throw;
                        }

                        item = new Submission(signed.a, signed.raw, own.Done) { Trusted = true };
                    }

                    if (item is CutRequest cut)
                    {
                        Cut();
                        cut.Done.TrySetResult();
                        continue;
                    }

                    if (item is Submission s)
                    {
                        Interlocked.Decrement(ref _depth);
                        if (_pending.Count == 0)
                        {
                            cutTimer.Restart();
                        }

                        Admit(s);
                    }
                    else
                    {
                        ((IQuery)item).Run(_chain);
                    }
                }

                NodeMetrics.QueueDepth.Set(Volatile.Read(ref _depth));
                if (_pending.Count > 0 && (_pending.Count >= _options.MaxBlockActions || cutTimer.ElapsedMilliseconds >= _options.BlockIntervalMs))
                {
                    Cut();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutdown: pending actions were never made durable, so they are refused below.
        }
        catch (Exception e)
        {
            _crashed = true;
            _fault = $"sequencer stopped: {e.GetType().Name}: {e.Message}";
            _log(_fault);
        }

        Drain(_fault ?? "the node is shutting down");
    }

    private void Admit(Submission s)
    {
        DecodedAction a = s.Action;
        if (s.System)
        {
            _pending.Add(new Pending(s, a.Action));
            return;
        }

        if (_chain.Nonces.Check(a.Signer, a.Nonce) is { } code)
        {
            string message = code == NodeErrors.NonceReplayed
                ? $"nonce {a.Nonce} of {a.Signer} was already used; next is {_chain.Nonces.NextOf(a.Signer)}"
                : $"nonce {a.Nonce} of {a.Signer} skips ahead; next is {_chain.Nonces.NextOf(a.Signer)}";
            NodeMetrics.Refused.WithLabels(code).Inc();
            s.Done.TrySetResult(Ack.Refused(code, message));
            return;
        }

        // After the nonce check, so only an action that is really admitted can vouch for its signer.
        if (!s.Trusted && !_signers.Admits(a.Action))
        {
            NodeMetrics.Refused.WithLabels(NodeErrors.UnknownSigner).Inc();
            s.Done.TrySetResult(Ack.Refused(NodeErrors.UnknownSigner, $"{a.Signer} has no account: its first action must deposit a positive amount into one of its own subaccounts (a signature made for another chain id also recovers an unknown address; name the signer to be told so)"));
            return;
        }

        _chain.Nonces.Consume(a.Signer);
        _pending.Add(new Pending(s, a.Action));
    }

    private void Cut()
    {
        var sw = Stopwatch.StartNew();
        Engine e = _chain.Engine;
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new BlockHeader(e.Height + 1, Math.Max(now, e.Time), e.LastRoot);
        var actions = new EngineAction[_pending.Count];
        var raw = new byte[_pending.Count][];
        for (int i = 0; i < actions.Length; i++)
        {
            actions[i] = _pending[i].Action;
            raw[i] = _pending[i].Submission.Raw;
        }

        BlockResult result = e.Apply(new Block(header, actions));
        _chain.Accounts.Update(e);
        _signers.Refresh(e);
        var stored = new StoredBlock(header.Height, header.Time, header.PreviousRoot, result.StateRoot, _chain.Accounts.Root(), raw);
        // On a majority of the stream first: a block that never reaches it is never acknowledged, and a
        // block in the local log is always one the stream holds (so a deposed leader rejoins as a follower).
        Replicator?.Replicate(stored);
        long fsyncStart = Stopwatch.GetTimestamp();
        _chain.Log.Append(stored);
        NodeMetrics.FsyncTime.Observe(Stopwatch.GetElapsedTime(fsyncStart).TotalSeconds);

        var signers = new Address[actions.Length];
        for (int i = 0; i < signers.Length; i++)
        {
            signers[i] = actions[i].Signer;
        }

        Committed(stored, result, _chain.Sequence + 1, signers, _pending);
        _pending.Clear();
        NodeMetrics.BlockLatency.Observe(sw.Elapsed.TotalSeconds);
    }

    // Everything after a block is durable: sequence numbers, risk tick, the new view, the answers to the
    // actions this node sequenced (none for a replicated block), the snapshot, metrics and listeners.
    private void Committed(StoredBlock stored, BlockResult result, long first, Address[] signers, List<Pending>? pending)
    {
        Engine e = _chain.Engine;
        int count = stored.Actions.Count;
        _chain.Sequence += count;
        IReadOnlyList<int> liquidatable = _risk.Tick();
        BlockHeaderView hv = HeaderOf(stored, e, first);
        var view = ChainView.Of(e, hv, liquidatable, _chain.Sequence);
        _view = view;

        var outcomes = new ActionOutcome[count];
        int rejected = 0;
        for (int i = 0; i < count; i++)
        {
            ActionResult r = result.Results[i];
            rejected += r.Ok ? 0 : 1;
            Ack ack = Ack.Of(first + i, stored.Height, r, hv.StateRoot, hv.AccountsRoot);
            outcomes[i] = new ActionOutcome(first + i, signers[i].ToString(), ack.Code, ack.Events);
            pending?[i].Submission.Done.TrySetResult(ack);
        }

        try
        {
            BlockApplied?.Invoke(e);
        }
        catch (Exception ex)
        {
            _log($"block-applied listener failed: {ex.Message}");
        }

        // The block is durable: nothing after this point may change its answers. A snapshot is only a
        // shortcut for the next start, so failing to write one (disk full) is logged and counted.
        if (_options.SnapshotEvery > 0 && stored.Height % _options.SnapshotEvery == 0)
        {
            try
            {
                _chain.Snapshots.Write(new Snapshot(stored.Height, stored.Time, result.StateRoot, stored.AccountsRoot, _chain.Log.Length, SnapshotImage.Encode(e, _chain.Nonces, _chain.Sequence)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                NodeMetrics.SnapshotFailures.Inc();
                _log($"snapshot at height {stored.Height} not written ({ex.Message}); the block itself is durable and the next start replays from an older snapshot");
            }
        }

        NodeMetrics.Actions.WithLabels("ok").Inc(count - rejected);
        NodeMetrics.Actions.WithLabels("rejected").Inc(rejected);
        NodeMetrics.Blocks.Inc();
        NodeMetrics.Height.Set(stored.Height);
        NodeMetrics.Liquidatable.Set(liquidatable.Count);
        try
        {
            BlockCommitted?.Invoke(new BlockNotice(hv, outcomes, view));
        }
        catch (Exception ex)
        {
            _log($"block listener failed: {ex.Message}");
        }
    }

    private static BlockHeaderView HeaderOf(StoredBlock? b, Engine e, long firstSequence) =>
        b is null
            ? new BlockHeaderView(0, e.Time, Api.Hex.Of(new byte[32]), Api.Hex.Of(e.LastRoot), "", 0, 0)
            : new BlockHeaderView(b.Height, b.Time, Api.Hex.Of(b.ParentRoot), Api.Hex.Of(b.StateRoot), Api.Hex.Of(b.AccountsRoot), b.Actions.Count, firstSequence);

    private void Drain(string reason)
    {
        _fault ??= reason;
        _queue.Writer.TryComplete();
        string code = StoppedCode;
        foreach (Pending p in _pending)
        {
            p.Submission.Done.TrySetResult(Ack.Refused(code, reason));
        }

        _pending.Clear();
        while (_queue.Reader.TryRead(out WorkItem? item))
        {
            if (item is Submission s)
            {
                s.Done.TrySetResult(Ack.Refused(code, reason));
            }
            else if (item is OwnSubmission o)
            {
                o.Done.TrySetResult(Ack.Refused(code, reason));
            }
            else if (item is CutRequest c)
            {
                c.Done.TrySetResult();
            }
            else
            {
                ((IQuery)item).Cancel(code, reason);
            }
        }
    }

    /// <summary>Stops the loop; actions not yet in a durable block are refused as UNAVAILABLE.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private abstract class WorkItem;

    private sealed class Submission(DecodedAction action, byte[] raw, TaskCompletionSource<Ack>? done = null) : WorkItem
    {
        public DecodedAction Action { get; } = action;

        public byte[] Raw { get; } = raw;

        // The node's own actions (the dev faucet) skip the known-signer check.
        public bool Trusted { get; init; }

        // Bridge actions carry no signature and no nonce.
        public bool System { get; init; }

        public TaskCompletionSource<Ack> Done { get; } = done ?? new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class OwnSubmission(Address signer, Func<ulong, (DecodedAction Action, byte[] Raw)> sign) : WorkItem
    {
        public Address Signer { get; } = signer;

        public Func<ulong, (DecodedAction Action, byte[] Raw)> Sign { get; } = sign;

        public TaskCompletionSource<Ack> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class CutRequest : WorkItem
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private interface IQuery
    {
        void Run(ChainState e);

        void Cancel(string code, string reason);
    }

    private sealed class Query<T>(Func<ChainState, T> read) : WorkItem, IQuery
    {
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(ChainState e)
        {
            try
            {
                Done.TrySetResult(read(e));
            }
            catch (Exception ex)
            {
                Done.TrySetException(ex);
            }
        }

        public void Cancel(string code, string reason) => Done.TrySetException(new SequencerUnavailableException(code, reason));
    }

    private readonly record struct Pending(Submission Submission, EngineAction Action);
}
