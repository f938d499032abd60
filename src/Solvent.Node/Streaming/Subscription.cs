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

    /// <summary>Adds or removes a topic; returns an error message for an unknown one.</summary>
    public string? Apply(bool add, string topic, AccountKey? account, int? market)
    {
        lock (_gate)
        {
            switch (topic)
            {
                case "blocks":
                    _blocks = add;
                    return null;
                case "liquidations":
                    _liquidations = add;
                    return null;
                case "account" when account is { } k:
                    _ = add ? _accounts.Add(k) : _accounts.Remove(k);
                    return null;
                case "account":
                    return "account needs \"owner\" (0x address) and \"subaccount\" (number)";
                case "market" when market is { } m:
                    _ = add ? _markets.Add(m) : _markets.Remove(m);
                    return null;
                case "market":
                    return "market needs \"market\": a known market symbol";
                default:
                    return $"unknown topic '{topic}'; use blocks, account, market or liquidations";
            }
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
}
