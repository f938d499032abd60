using Solvent.Core.Events;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Web;

/// <summary>A liquidation or auto-deleveraging event with the block it happened in.</summary>
public sealed record RecentEvent(long Height, long Time, long Sequence, string Kind, EngineEvent Event);

/// <summary>
/// The last <see cref="Capacity"/> liquidations and auto-deleveraging events of each kind, taken from the same
/// block outcomes the stream publishes. Not consensus state: at start it is refilled from the blocks recovery replays
/// (those after the snapshot it restores).
/// </summary>
public sealed class RecentEvents(int capacity = RecentEvents.DefaultCapacity)
{
    /// <summary>Events kept per kind by default.</summary>
    public const int DefaultCapacity = 1000;

    /// <summary>Lending and perp liquidations and backstop takeovers.</summary>
    public const string Liquidation = "liquidation";

    /// <summary>Auto-deleveraging of opposite positions.</summary>
    public const string Adl = "adl";

    private readonly Queue<RecentEvent> _liquidations = new();
    private readonly Queue<RecentEvent> _adl = new();
    private readonly Lock _gate = new();

    /// <summary>Most events kept per kind.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>The kind an event is listed under, or null when it is neither.</summary>
    public static string? KindOf(EngineEvent e) => e switch
    {
        Liquidated or PerpLiquidated or BackstopTakeover => Liquidation,
        AutoDeleveraged => Adl,
        _ => null,
    };

    /// <summary>Records a committed block's events (called on the sequencer thread).</summary>
    public void Record(BlockNotice notice)
    {
        foreach (ActionOutcome o in notice.Outcomes)
        {
            Record(notice.Header.Height, notice.Header.Time, o.Sequence, o.Events);
        }
    }

    /// <summary>Records the events of one action (live, or replayed by recovery at start).</summary>
    public void Record(long height, long time, long sequence, IReadOnlyList<EngineEvent> events)
    {
        lock (_gate)
        {
            foreach (EngineEvent e in events)
            {
                string? kind = KindOf(e);
                if (kind is null)
                {
                    continue;
                }

                Queue<RecentEvent> q = kind == Liquidation ? _liquidations : _adl;
                q.Enqueue(new RecentEvent(height, time, sequence, kind, e));
                if (q.Count > Capacity)
                {
                    q.Dequeue();
                }
            }
        }
    }

    /// <summary>The newest <paramref name="limit"/> events of <paramref name="kind"/>, newest first.</summary>
    public RecentEvent[] Latest(string kind, int limit)
    {
        lock (_gate)
        {
            Queue<RecentEvent> q = kind == Liquidation ? _liquidations : _adl;
            return [.. q.Reverse().Take(limit)];
        }
    }
}
