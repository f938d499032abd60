using System.Collections.Concurrent;
using System.Diagnostics;

namespace Solvent.Indexer;

/// <summary>
/// Writes batches on a thread of its own, so PostgreSQL's COPY of one batch overlaps the apply and
/// projection of the next. Two batches circulate: the one being filled and the one being written, so the
/// apply stage waits (rather than buffers) when PostgreSQL is the slower side.
/// </summary>
public sealed class WritePipeline : IDisposable
{
    private readonly BlockingCollection<RowBatch> _full = new(1);
    private readonly BlockingCollection<RowBatch> _empty = [];
    private readonly Thread _writer;
    private Exception? _failure;
    private long _writeTicks, _blocks, _actions;

    /// <summary>Starts the writing thread over <paramref name="writer"/>; <paramref name="onBatch"/> runs after each commit with the batch's last height.</summary>
    public WritePipeline(PgWriter writer, Action<long>? onBatch = null)
    {
        _empty.Add(new RowBatch());
        _empty.Add(new RowBatch());
        _writer = new Thread(() =>
        {
            try
            {
                foreach (RowBatch b in _full.GetConsumingEnumerable())
                {
                    long t0 = Stopwatch.GetTimestamp();
                    int n = writer.Write(b);
                    Interlocked.Add(ref _writeTicks, Stopwatch.GetTimestamp() - t0);
                    if (n > 0)
                    {
                        Interlocked.Add(ref _blocks, n);
                        Interlocked.Add(ref _actions, b.Blocks.Skip(b.Blocks.Count - n).Sum(x => (long)x.ActionCount));
                        onBatch?.Invoke(b.Blocks[^1].Height);
                    }

                    b.Clear();
                    _empty.Add(b);
                }
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                // A failed write must not leave the apply stage waiting on either queue.
                _full.CompleteAdding();
                _empty.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "indexer-write" };
        _writer.Start();
    }

    /// <summary>Wall time spent writing (on the writer's thread).</summary>
    public TimeSpan WriteTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _writeTicks));

    /// <summary>Blocks committed so far.</summary>
    public long BlocksWritten => Interlocked.Read(ref _blocks);

    /// <summary>Actions in the blocks committed so far.</summary>
    public long ActionsWritten => Interlocked.Read(ref _actions);

    /// <summary>Time the apply stage spent waiting for the writer.</summary>
    public TimeSpan WaitTime { get; private set; }

    /// <summary>An empty batch to fill; waits while both batches are in use; throws the writer's failure.</summary>
    public RowBatch Rent()
    {
        long t0 = Stopwatch.GetTimestamp();
        bool got = _empty.TryTake(out RowBatch? b, Timeout.Infinite);
        WaitTime += Stopwatch.GetElapsedTime(t0);
        return got ? b! : throw Stopped();
    }

    /// <summary>Queues a filled batch for writing (waits while the writer is busy with the previous one); throws the writer's failure.</summary>
    public void Submit(RowBatch batch)
    {
        long t0 = Stopwatch.GetTimestamp();
        bool added;
        try
        {
            added = _full.TryAdd(batch, Timeout.Infinite);
        }
        catch (InvalidOperationException)
        {
            added = false;
        }

        WaitTime += Stopwatch.GetElapsedTime(t0);
        if (!added)
        {
            throw Stopped();
        }
    }

    /// <summary>Waits until every submitted batch is committed; throws the writer's failure.</summary>
    public void Complete()
    {
        if (!_full.IsAddingCompleted)
        {
            _full.CompleteAdding();
        }

        _writer.Join();
        if (_failure is { } e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
    }

    // The writer ended early: rethrow what stopped it.
    private Exception Stopped()
    {
        _writer.Join();
        if (_failure is { } e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }

        return new InvalidOperationException("the PostgreSQL writer stopped");
    }

    /// <summary>Stops accepting batches and waits (bounded) for the writer to finish the one it holds.</summary>
    public void Dispose()
    {
        try
        {
            _full.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
        }

        _writer.Join(TimeSpan.FromMinutes(2));
    }
}
