using System.Runtime.CompilerServices;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using Solvent.Storage;

namespace Solvent.Node.Replication;

/// <summary>
/// The node's view of the JetStream cluster: the block stream (R3, file storage, one subject, stream
/// sequence = block height), the attestation stream and the leader-lease bucket. Appends are fenced by
/// the expected last sequence, so two writers can never both append at one height.
/// </summary>
public sealed class NatsBlockStream : IAsyncDisposable
{
    /// <summary>JetStream's error code for a publish whose expected last sequence is not the stream's.</summary>
    public const int WrongLastSequence = 10071;

    private const string LeaseKey = "leader";

    private readonly NatsConnection _conn;
    private readonly NatsJSContext _js;
    private readonly ReplicationOptions _options;
    private INatsKVStore? _lease;

    private NatsBlockStream(NatsConnection conn, ReplicationOptions options)
    {
        _conn = conn;
        _js = new NatsJSContext(conn);
        _options = options;
    }

    /// <summary>The lease bucket (after <see cref="ConnectAsync"/>).</summary>
    private INatsKVStore Lease => _lease ?? throw new InvalidOperationException("not connected");

    /// <summary>
    /// Connects and creates (or checks) the streams and the lease bucket, retrying while the cluster elects
    /// its JetStream leader; gives up after <paramref name="wait"/>.
    /// </summary>
    public static async Task<NatsBlockStream> ConnectAsync(ReplicationOptions options, TimeSpan wait, CancellationToken ct)
    {
        var conn = new NatsConnection(new NatsOpts
        {
            Url = options.NatsUrls,
            Name = "solvent-node",
            RequestTimeout = options.PublishTimeout,
            RetryOnInitialConnect = true,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var s = new NatsBlockStream(conn, options);
        DateTime until = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                await s.EnsureAsync(ct).ConfigureAwait(false);
                return s;
            }
            catch (Exception e) when (e is NatsException or TimeoutException && DateTime.UtcNow < until && !ct.IsCancellationRequested)
            {
                await Task.Delay(250, ct).ConfigureAwait(false);
            }
            catch
            {
                await s.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task EnsureAsync(CancellationToken ct)
    {
        await _conn.ConnectAsync().ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await _js.CreateOrUpdateStreamAsync(
            new StreamConfig(_options.BlockStream, [_options.BlockSubject])
            {
                NumReplicas = _options.Replicas,
                Storage = StreamConfigStorage.File,
                DuplicateWindow = TimeSpan.FromMinutes(2),
                Discard = StreamConfigDiscard.New,
            },
            timeout.Token).ConfigureAwait(false);
        await _js.CreateOrUpdateStreamAsync(
            new StreamConfig(_options.AttestationStream, [_options.AttestationSubject + ".>"])
            {
                NumReplicas = _options.Replicas,
                Storage = StreamConfigStorage.File,
                MaxAge = TimeSpan.FromDays(7),
            },
            timeout.Token).ConfigureAwait(false);
        var kv = new NatsKVContext(_js);
        _lease = await kv.CreateOrUpdateStoreAsync(
            new NatsKVConfig(_options.LeaseBucket)
            {
                History = 1,
                MaxAge = _options.LeaseTtl,
                NumberOfReplicas = _options.Replicas,
                Storage = NatsKVStorageType.File,
            },
            timeout.Token).ConfigureAwait(false);
    }

    /// <summary>The stream's last sequence, which is the height of the last replicated block.</summary>
    public async Task<long> LastHeightAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.PublishTimeout);
        INatsJSStream s = await _js.GetStreamAsync(_options.BlockStream, cancellationToken: timeout.Token).ConfigureAwait(false);
        return (long)s.Info.State.LastSeq;
    }

    /// <summary>
    /// Appends <paramref name="block"/> at its height: waits for the stream's acknowledgement, which on an
    /// R3 stream means the block is stored on a majority of servers. A retry of a block the stream already
    /// holds is recognised by its message id (height and root) and acknowledged as a duplicate.
    /// </summary>
    /// <exception cref="ReplicationFencedException">Another block is at this height.</exception>
    public async Task AppendAsync(StoredBlock block, CancellationToken ct)
    {
        byte[] encoded = BlockCodec.Encode(block);
        var opts = new NatsJSPubOpts
        {
            ExpectedLastSequence = (ulong)(block.Height - 1),
            MsgId = $"{block.Height}:{Convert.ToHexStringLower(block.StateRoot)}",
        };
        PubAckResponse ack;
        try
        {
            ack = await _js.PublishAsync(_options.BlockSubject, encoded, opts: opts, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == WrongLastSequence)
        {
            throw new ReplicationFencedException($"block {block.Height} not appended: the stream is not at height {block.Height - 1} ({e.Error.Description}); another sequencer wrote it");
        }

        if (ack.Error is { } err)
        {
            if (err.ErrCode == WrongLastSequence)
            {
                throw new ReplicationFencedException($"block {block.Height} not appended: the stream is not at height {block.Height - 1} ({err.Description}); another sequencer wrote it");
            }

            throw new NatsJSException($"stream refused block {block.Height}: {err.Description} ({err.ErrCode})");
        }

        if ((long)ack.Seq != block.Height)
        {
            throw new ReplicationFencedException($"block {block.Height} landed at stream sequence {ack.Seq}: another sequencer wrote the stream");
        }
    }

    /// <summary>Blocks from <paramref name="fromHeight"/> on with the time the stream stored each, in order, as they arrive (an ordered consumer; restarts itself after server failures).</summary>
    public async IAsyncEnumerable<(long Sequence, StoredBlock? Block, DateTimeOffset Stored)> ReadAsync(long fromHeight, [EnumeratorCancellation] CancellationToken ct)
    {
        INatsJSConsumer consumer = await _js.CreateOrderedConsumerAsync(
            _options.BlockStream,
            new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = (ulong)Math.Max(1, fromHeight) },
            ct).ConfigureAwait(false);
        await foreach (NatsJSMsg<byte[]> m in consumer.ConsumeAsync<byte[]>(cancellationToken: ct).ConfigureAwait(false))
        {
            long seq = (long)(m.Metadata?.Sequence.Stream ?? 0);
            StoredBlock? b = m.Data is { } d && BlockCodec.TryDecode(d, out StoredBlock? decoded) ? decoded : null;
            yield return (seq, b, m.Metadata?.Timestamp ?? DateTimeOffset.UtcNow);
        }
    }

    /// <summary>Publishes a validator's attestation (waits for the stream's acknowledgement).</summary>
    public async Task PublishAttestationAsync(AttestationMessage a, CancellationToken ct)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(a, ReplicationJson.Options);
        PubAckResponse ack = await _js.PublishAsync($"{_options.AttestationSubject}.{a.Validator.ToLowerInvariant()}", body, cancellationToken: ct).ConfigureAwait(false);
        ack.EnsureSuccess();
    }

    /// <summary>Every attestation in the stream from stream sequence <paramref name="fromSequence"/> on, then new ones as they arrive, each with its stream sequence.</summary>
    public async IAsyncEnumerable<(long Sequence, AttestationMessage? Attestation)> ReadAttestationsAsync(long fromSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        INatsJSConsumer consumer = await _js.CreateOrderedConsumerAsync(
            _options.AttestationStream,
            new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = (ulong)Math.Max(1, fromSequence) },
            ct).ConfigureAwait(false);
        await foreach (NatsJSMsg<byte[]> m in consumer.ConsumeAsync<byte[]>(cancellationToken: ct).ConfigureAwait(false))
        {
            AttestationMessage? a = null;
            try
            {
                a = m.Data is { } d ? JsonSerializer.Deserialize<AttestationMessage>(d, ReplicationJson.Options) : null;
            }
            catch (JsonException)
            {
                // A malformed message is nobody's attestation.
            }

            yield return ((long)(m.Metadata?.Sequence.Stream ?? 0), a);
        }
    }

    /// <summary>The current lease holder's advertised URL and revision, or null when nobody holds it.</summary>
    public async Task<(string Holder, ulong Revision)?> LeaseHolderAsync(CancellationToken ct)
    {
        NatsResult<NatsKVEntry<string>> r = await Lease.TryGetEntryAsync<string>(LeaseKey, cancellationToken: ct).ConfigureAwait(false);
        if (!r.Success || r.Value.Operation != NatsKVOperation.Put)
        {
            return null;
        }

        return (r.Value.Value ?? "", r.Value.Revision);
    }

    /// <summary>Takes the lease if nobody holds it; returns its revision, or null when someone holds it.</summary>
    /// <exception cref="NatsException">The bucket did not answer (no majority, or a server election).</exception>
    public async Task<ulong?> TryTakeLeaseAsync(string holder, CancellationToken ct)
    {
        NatsResult<ulong> r = await Lease.TryCreateAsync(LeaseKey, holder, cancellationToken: ct).ConfigureAwait(false);
        if (r.Success)
        {
            return r.Value;
        }

        if (r.Error is NatsKVCreateException or NatsKVWrongLastRevisionException)
        {
            return null;
        }

        throw r.Error;
    }

    /// <summary>
    /// Renews a held lease (compare-and-set on its revision); null when another node holds it now or it expired.
    /// A renewal whose acknowledgement was lost (a server died after storing it) leaves the bucket one revision
    /// ahead with this holder's own name in it: that revision is this holder's and is adopted, since no other
    /// node ever writes this holder's name.
    /// </summary>
    public async Task<ulong?> TryRenewLeaseAsync(string holder, ulong revision, CancellationToken ct)
    {
        NatsResult<ulong> r = await Lease.TryUpdateAsync(LeaseKey, holder, revision, cancellationToken: ct).ConfigureAwait(false);
        if (r.Success)
        {
            return r.Value;
        }

        if (r.Error is NatsKVWrongLastRevisionException or NatsKVCreateException)
        {
            return await LeaseHolderAsync(ct).ConfigureAwait(false) is { } now && now.Holder == holder && now.Revision > revision ? now.Revision : null;
        }

        throw r.Error;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _conn.DisposeAsync().ConfigureAwait(false);
}
