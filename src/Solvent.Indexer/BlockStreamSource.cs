using System.Runtime.CompilerServices;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Solvent.Storage;

namespace Solvent.Indexer;

/// <summary>
/// Follows a replicated deployment's JetStream block stream (stream sequence = block height), read-only: it
/// never creates or changes a stream, so an indexer pointed at the wrong cluster or prefix is refused instead
/// of creating an empty stream there. Blocks come from height 1 (the indexer re-executes the chain to check
/// every root) and keep coming as the leader appends them, until the caller stops; after a server outage the
/// reader resumes from the next height.
/// </summary>
public sealed class BlockStreamSource : IAsyncDisposable
{
    private readonly NatsConnection _conn;
    private readonly NatsJSContext _js;
    private readonly string _stream;

    private BlockStreamSource(NatsConnection conn, string stream)
    {
        _conn = conn;
        _js = new NatsJSContext(conn);
        _stream = stream;
    }

    /// <summary>Connects to <paramref name="natsUrls"/> (comma-separated) and checks that <paramref name="stream"/> exists, waiting up to <paramref name="wait"/> for the cluster.</summary>
    /// <exception cref="IndexerException">No server answered in time, or the stream does not exist.</exception>
    public static async Task<BlockStreamSource> ConnectAsync(string natsUrls, string stream, TimeSpan wait, CancellationToken ct)
    {
        var conn = new NatsConnection(new NatsOpts
        {
            Url = natsUrls,
            Name = "solvent-indexer",
            RetryOnInitialConnect = true,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var s = new BlockStreamSource(conn, stream);
        DateTime until = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                await conn.ConnectAsync().ConfigureAwait(false);
                await s._js.GetStreamAsync(stream, cancellationToken: attempt.Token).ConfigureAwait(false);
                return s;
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                await s.DisposeAsync().ConfigureAwait(false);
                throw new IndexerException($"the NATS cluster at {natsUrls} has no stream {stream}: is this the replicated deployment's cluster and prefix?");
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested && DateTime.UtcNow < until)
            {
                await Task.Delay(250, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                await s.DisposeAsync().ConfigureAwait(false);
                throw new IndexerException($"no NATS server at {natsUrls} answered for stream {stream} within {wait.TotalSeconds:F0} s ({e.GetType().Name}: {e.Message})");
            }
        }
    }

    /// <summary>The stream's last sequence: the height of the last replicated block.</summary>
    public async Task<long> LastHeightAsync(CancellationToken ct)
    {
        INatsJSStream s = await _js.GetStreamAsync(_stream, cancellationToken: ct).ConfigureAwait(false);
        return (long)s.Info.State.LastSeq;
    }

    /// <summary>
    /// Every block after height <paramref name="after"/>, in order, waiting for new ones; ends when
    /// <paramref name="ct"/> is cancelled. A blocking enumerable, for the indexer's decode thread.
    /// </summary>
    /// <exception cref="IndexerException">A stream message is not a block, or not the block of its sequence.</exception>
    public IEnumerable<StoredBlock> Follow(CancellationToken ct, long after = 0)
    {
        IAsyncEnumerator<StoredBlock> e = FollowAsync(after + 1, ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = e.MoveNextAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    yield break;
                }

                if (!more)
                {
                    yield break;
                }

                yield return e.Current;
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private async IAsyncEnumerable<StoredBlock> FollowAsync(long next, [EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            INatsJSConsumer consumer;
            try
            {
                consumer = await _js.CreateOrderedConsumerAsync(
                    _stream,
                    new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = (ulong)next },
                    ct).ConfigureAwait(false);
            }
            catch (Exception x) when (x is NatsException or TimeoutException && !ct.IsCancellationRequested)
            {
                await Task.Delay(250, ct).ConfigureAwait(false);
                continue;
            }

            await using IAsyncEnumerator<INatsJSMsg<byte[]>> messages = consumer.ConsumeAsync<byte[]>(cancellationToken: ct).GetAsyncEnumerator(ct);
            while (true)
            {
                bool more;
                try
                {
                    more = await messages.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception x) when (x is NatsException or TimeoutException && !ct.IsCancellationRequested)
                {
                    // The ordered consumer gave up after a server outage: consume again from the next height.
                    break;
                }

                if (!more)
                {
                    break;
                }

                INatsJSMsg<byte[]> m = messages.Current;
                long seq = (long)(m.Metadata?.Sequence.Stream ?? 0);
                if (seq < next)
                {
                    continue;
                }

                if (m.Data is not { } data || !BlockCodec.TryDecode(data, out StoredBlock? block) || block is null)
                {
                    throw new IndexerException($"stream {_stream} sequence {seq} does not hold a readable block");
                }

                if (block.Height != seq)
                {
                    throw new IndexerException($"stream {_stream} sequence {seq} holds block {block.Height}; the stream's sequence must be the block height");
                }

                next = seq + 1;
                yield return block;
            }

            await Task.Delay(250, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _conn.DisposeAsync().ConfigureAwait(false);
}
