using System.Collections.Concurrent;
using System.Diagnostics;
using Solvent.Node.Ingress;
using Solvent.Storage;

namespace Solvent.Indexer;

/// <summary>
/// Recovers the signatures of blocks ahead of the apply stage, on every core, and hands the blocks back in
/// order. Signature recovery is most of the indexer's work and each block's is independent of the engine,
/// so it runs as one thread-pool task per block; at most <c>depth</c> blocks are in flight, which bounds
/// memory however far the apply stage lags. The stages hand over through blocking queues, not async
/// continuations, so a wake-up never waits behind queued decoding work on a busy thread pool.
/// </summary>
public sealed class DecodePipeline : IDisposable
{
    private readonly BlockingCollection<Task<DecodedBlock>> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _producer;
    private Exception? _sourceError;
    private long _decodeTicks;

    /// <summary>Starts decoding <paramref name="blocks"/>, keeping at most <paramref name="depth"/> blocks in flight.</summary>
    public DecodePipeline(IEnumerable<StoredBlock> blocks, IActionDecoder decoder, int depth = 64)
    {
        _queue = new BlockingCollection<Task<DecodedBlock>>(depth);
        CancellationToken token = _stop.Token;
        _producer = new Thread(() =>
        {
            try
            {
                foreach (StoredBlock b in blocks)
                {
                    token.ThrowIfCancellationRequested();
                    _queue.Add(
                        Task.Run(
                            () =>
                            {
                                long t0 = Stopwatch.GetTimestamp();
                                DecodedBlock d = DecodedBlock.Of(b, decoder);
                                Interlocked.Add(ref _decodeTicks, Stopwatch.GetTimestamp() - t0);
                                return d;
                            },
                            CancellationToken.None),
                        token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                // A source that fails to read (a corrupt log, a lost node) surfaces at the reader, after the blocks before it.
                _sourceError = e;
            }
            finally
            {
                _queue.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "indexer-decode" };
        _producer.Start();
    }

    /// <summary>CPU time spent decoding and recovering signatures so far, summed over threads.</summary>
    public TimeSpan DecodeTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _decodeTicks));

    /// <summary>Whether a block is queued for the consumer now (false when the source has nothing new yet).</summary>
    public bool HasReady => _queue.Count > 0;

    /// <summary>Time the consumer spent waiting for the next decoded block.</summary>
    public TimeSpan WaitTime { get; private set; }

    /// <summary>The decoded blocks, in source order; rethrows a failure of the source after the blocks read before it.</summary>
    public IEnumerable<DecodedBlock> Read()
    {
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            if (!_queue.TryTake(out Task<DecodedBlock>? next, Timeout.Infinite))
            {
                WaitTime += Stopwatch.GetElapsedTime(t0);
                if (_sourceError is { } e)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                }

                yield break;
            }

            DecodedBlock d = next.GetAwaiter().GetResult();
            WaitTime += Stopwatch.GetElapsedTime(t0);
            yield return d;
        }
    }

    /// <summary>Stops reading the source and waits (bounded) for the reading thread to end.</summary>
    public void Dispose()
    {
        _stop.Cancel();

        // Free the producer if it is blocked on a full queue; a queued block's decoding finishes on its own.
        while (_queue.TryTake(out _))
        {
        }

        // A producer reading a log file ends at once; one waiting in a live source (a followed stream at its
        // tip) ends when that source is disposed or its token cancelled, which the caller does next, so a
        // refusal is reported without waiting for the next block.
        _producer.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
    }
}
