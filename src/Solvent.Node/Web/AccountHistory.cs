using Solvent.Core.Events;
using Solvent.Core.State;
using Solvent.Node.Streaming;

namespace Solvent.Node.Web;

/// <summary>One event that named a subaccount, with the block and action it came from.</summary>
public sealed record HistoryEntry(long Height, long Time, long Sequence, string Signer, EngineEvent Event);

/// <summary>
/// The last <see cref="Capacity"/> events naming each subaccount (its deposits, trades, liquidations — as
/// either side — funding and PnL settlements, bridged credits and withdrawal records), so the web app can
/// show an account's history from before the page was opened. Fed from committed blocks and, at start, from
/// the blocks recovery replays; not consensus state. Only accepted actions produce events, and every account
/// an event names exists in the state, so the number of keys is bounded by the state's own size. The full
/// history of every account is the indexer's (<c>solvent indexer</c>); this is the node's recent window.
/// </summary>
public sealed class AccountHistory(int capacity = AccountHistory.DefaultCapacity)
{
    /// <summary>Events kept per subaccount by default.</summary>
    public const int DefaultCapacity = 200;

    private readonly Dictionary<AccountKey, Ring> _byAccount = [];
    private readonly Lock _gate = new();
    private readonly HashSet<AccountKey> _named = [];

    /// <summary>Most events kept per subaccount.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Records the events of one accepted action (an event naming two subaccounts is kept under both, once each).</summary>
    public void Record(long height, long time, long sequence, string signer, IReadOnlyList<EngineEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (EngineEvent e in events)
            {
                _named.Clear();
                foreach (AccountKey k in EventTopics.Accounts(e))
                {
                    if (!_named.Add(k))
                    {
                        continue;
                    }

                    if (!_byAccount.TryGetValue(k, out Ring? ring))
                    {
                        ring = new Ring(Capacity);
                        _byAccount.Add(k, ring);
                    }

                    ring.Add(new HistoryEntry(height, time, sequence, signer, e));
                }
            }
        }
    }

    /// <summary>The newest <paramref name="limit"/> events naming <paramref name="account"/>, newest first, optionally only those before block <paramref name="beforeHeight"/>.</summary>
    public HistoryEntry[] Latest(AccountKey account, int limit, long beforeHeight = long.MaxValue)
    {
        lock (_gate)
        {
            return _byAccount.TryGetValue(account, out Ring? ring) ? ring.Newest(limit, beforeHeight) : [];
        }
    }

    /// <summary>A fixed-size ring of one subaccount's entries, oldest overwritten first.</summary>
    private sealed class Ring(int capacity)
    {
        // Grows to the capacity on demand: most accounts have a handful of events, a few have many. It only
        // grows before the first wrap, so entries 0 … written−1 are in order when it is copied.
        private HistoryEntry[] _buffer = new HistoryEntry[Math.Min(capacity, 8)];
        private long _written;

        public void Add(HistoryEntry entry)
        {
            if (_written < capacity && _written == _buffer.Length)
            {
                var grown = new HistoryEntry[Math.Min(capacity, _buffer.Length * 2)];
                Array.Copy(_buffer, grown, _buffer.Length);
                _buffer = grown;
            }

            _buffer[_written % _buffer.Length] = entry;
            _written++;
        }

        public HistoryEntry[] Newest(int limit, long beforeHeight)
        {
            int kept = (int)Math.Min(_written, _buffer.Length);
            var list = new List<HistoryEntry>(Math.Min(limit, kept));
            for (int i = 0; i < kept && list.Count < limit; i++)
            {
                HistoryEntry e = _buffer[(_written - 1 - i) % _buffer.Length];
                if (e.Height < beforeHeight)
                {
                    list.Add(e);
                }
            }

            return [.. list];
        }
    }
}
