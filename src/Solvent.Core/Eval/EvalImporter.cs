using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>
/// Books a request's subaccounts, row by row of its table, into a new engine; a value beyond the
/// engine's integer range is refused naming the entry and the asset or market. Prices are set last
/// (booking a balance or position does not read them).
/// </summary>
internal sealed class EvalImporter
{
    private readonly Genesis _genesis;
    private readonly Engine _engine;
    private readonly int _first;
    private readonly List<int> _entryOf = [];

    public EvalImporter(Genesis genesis)
    {
        _genesis = genesis;
        _engine = new Engine(genesis);
        _first = _engine.Accounts.Count;
    }

    /// <summary>Room for <paramref name="entries"/> more accounts.</summary>
    public void Reserve(int entries)
    {
        _engine.Accounts.EnsureCapacity(_engine.Accounts.Count + entries);
        _entryOf.Capacity = System.Math.Max(_entryOf.Capacity, entries);
    }

    /// <summary>Books rows [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="table"/>.</summary>
    public void Rows(EvalSubaccountTable table, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            AccountKey key = table.Key(i);
            MarginMode mode = table.Mode(i);
            int before = _engine.Accounts.Count;
            for (int b = table.BalanceStart(i); b < table.BalanceEnd(i); b++)
            {
                int asset = table.BalanceAsset(b);
                try
                {
                    _engine.ImportBalance(key, mode, asset, table.BalanceAmount(b));
                }
                catch (OverflowException)
                {
                    // Each amount fits on its own; the venue-wide totals and merged entries are 64-bit.
                    string symbol = _genesis.Assets[asset].Symbol;
                    throw new GenesisException([$"subaccounts[{i}].balances.{symbol}: takes the venue-wide {symbol} supply or debt, or this subaccount's {symbol} balance, beyond the engine's 64-bit range"]);
                }
            }

            for (int p = table.PositionStart(i); p < table.PositionEnd(i); p++)
            {
                (int market, long size, long quote) = table.Position(p);
                try
                {
                    _engine.ImportPosition(key, mode, market, size, quote);
                }
                catch (OverflowException)
                {
                    string symbol = _genesis.Markets[market].Symbol;
                    throw new GenesisException([$"subaccounts[{i}].positions.{symbol}: takes {symbol}'s open interest, or this subaccount's position, beyond the engine's 64-bit range"]);
                }
            }

            // Request index of the entry that created each reported account, for messages about it.
            for (int id = before; id < _engine.Accounts.Count; id++)
            {
                _entryOf.Add(i);
            }
        }
    }

    /// <summary>Sets the prices and returns the engine, its first reported account id and each reported account's entry.</summary>
    public (Engine Engine, int First, int[] EntryOf) Finish(IReadOnlyList<(int Asset, long Price)> prices)
    {
        foreach ((int asset, long price) in prices)
        {
            _engine.ImportPrice(asset, price);
        }

        return (_engine, _first, _entryOf.ToArray());
    }
}
