using Solvent.Core.Events;
using Solvent.Core.State;

namespace Solvent.Node.Streaming;

/// <summary>What one stream client asked for: blocks, one subaccount's events, one market's events, liquidations.</summary>
public sealed class Subscription
{
    private readonly Lock _gate = new();
    private readonly HashSet<AccountKey> _accounts = [];
    private readonly HashSet<int> _markets = [];
    private bool _blocks;
    private bool _liquidations;

    /// <summary>Topics held: blocks and liquidations count one each, every account and market one each.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return (_blocks ? 1 : 0) + (_liquidations ? 1 : 0) + _accounts.Count + _markets.Count;
            }
        }
    }

    /// <summary>
    /// Adds or removes a topic. Adding beyond <paramref name="limit"/> topics is refused
    /// (<see cref="SubscriptionResult.TooMany"/>); an unknown or incomplete topic gives
    /// <see cref="SubscriptionResult.Invalid"/> and a message. Removing what is not held is fine.
    /// </summary>
    public SubscriptionResult Apply(bool add, string topic, AccountKey? account, int? market, int limit, out string? error)
    {
        error = null;
        lock (_gate)
        {
            bool full = (_blocks ? 1 : 0) + (_liquidations ? 1 : 0) + _accounts.Count + _markets.Count >= limit;
            switch (topic)
            {
                case "blocks":
                    if (add && !_blocks && full)
                    {
                        return SubscriptionResult.TooMany;
                    }

                    _blocks = add;
                    return SubscriptionResult.Ok;
                case "liquidations":
                    if (add && !_liquidations && full)
                    {
                        return SubscriptionResult.TooMany;
                    }

                    _liquidations = add;
                    return SubscriptionResult.Ok;
                case "account" when account is { } k:
                    return Change(_accounts, add, k, full);
                case "account":
                    error = "account needs \"owner\" (0x address) and \"subaccount\" (number)";
                    return SubscriptionResult.Invalid;
                case "market" when market is { } m:
                    return Change(_markets, add, m, full);
                case "market":
                    error = "market needs \"market\": a known market symbol";
                    return SubscriptionResult.Invalid;
                default:
                    error = $"unknown topic '{(topic.Length <= 32 ? topic : topic[..32] + "…")}'; use blocks, account, market or liquidations";
                    return SubscriptionResult.Invalid;
            }
        }
    }

    /// <summary>Drops every topic and returns how many there were.</summary>
    public int Clear()
    {
        lock (_gate)
        {
            int n = (_blocks ? 1 : 0) + (_liquidations ? 1 : 0) + _accounts.Count + _markets.Count;
            _blocks = _liquidations = false;
            _accounts.Clear();
            _accounts.TrimExcess();
            _markets.Clear();
            _markets.TrimExcess();
            return n;
        }
    }

    /// <summary>Whether block headers are wanted.</summary>
    public bool WantsBlocks
    {
        get
        {
            lock (_gate)
            {
                return _blocks;
            }
        }
    }

    /// <summary>Whether liquidation events and the liquidatable set are wanted.</summary>
    public bool WantsLiquidations
    {
        get
        {
            lock (_gate)
            {
                return _liquidations;
            }
        }
    }

    /// <summary>Whether an event matches an account or market topic, or the liquidation topic.</summary>
    public bool Wants(EngineEvent e)
    {
        lock (_gate)
        {
            if (_liquidations && EventTopics.IsLiquidation(e))
            {
                return true;
            }

            if (_accounts.Count > 0)
            {
                foreach (AccountKey k in EventTopics.Accounts(e))
                {
                    if (_accounts.Contains(k))
                    {
                        return true;
                    }
                }
            }

            return _markets.Count > 0 && EventTopics.Market(e) is { } m && _markets.Contains(m);
        }
    }

    private static SubscriptionResult Change<T>(HashSet<T> set, bool add, T item, bool full)
    {
        if (!add)
        {
            set.Remove(item);
            return SubscriptionResult.Ok;
        }

        if (full && !set.Contains(item))
        {
            return SubscriptionResult.TooMany;
        }

        set.Add(item);
        return SubscriptionResult.Ok;
    }
}
