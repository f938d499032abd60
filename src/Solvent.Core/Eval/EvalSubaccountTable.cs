using System.Collections;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>
/// The subaccounts of a request as a dense table (parallel arrays, one row per entry, balances and
/// positions in shared arrays indexed by each row's range) instead of one object graph per entry: a
/// request of 500,000 subaccounts is a few arrays for the collector, not millions of small objects.
/// Read as a list it yields <see cref="EvalSubaccount"/> records made on demand.
/// </summary>
public sealed class EvalSubaccountTable : IReadOnlyList<EvalSubaccount>
{
    private AccountKey[] _keys = new AccountKey[16];
    private MarginMode[] _modes = new MarginMode[16];
    private int[] _balanceEnd = new int[16];
    private int[] _positionEnd = new int[16];
    private int[] _balanceAsset = new int[32];
    private long[] _balanceAmount = new long[32];
    private int[] _positionMarket = new int[4];
    private long[] _positionSize = new long[4];
    private long[] _positionQuote = new long[4];
    private int _balances;
    private int _positions;

    private int _count;

    /// <summary>
    /// Number of entries. Read on another thread while the table is being filled, every row below the
    /// count read is complete (rows are published by a volatile write after their data).
    /// </summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The entry at <paramref name="index"/>, as a record.</summary>
    public EvalSubaccount this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var balances = new List<(int, long)>();
            for (int b = BalanceStart(index); b < _balanceEnd[index]; b++)
            {
                balances.Add((_balanceAsset[b], _balanceAmount[b]));
            }

            var positions = new List<(int, long, long)>();
            for (int p = PositionStart(index); p < _positionEnd[index]; p++)
            {
                positions.Add((_positionMarket[p], _positionSize[p], _positionQuote[p]));
            }

            return new EvalSubaccount(_keys[index], _modes[index], balances) { Positions = positions };
        }
    }

    /// <summary>Key of entry <paramref name="index"/>.</summary>
    public AccountKey Key(int index) => _keys[index];

    /// <summary>Margin mode of entry <paramref name="index"/>.</summary>
    public MarginMode Mode(int index) => _modes[index];

    /// <summary>First balance row of entry <paramref name="index"/>; its rows end at <see cref="BalanceEnd"/>.</summary>
    public int BalanceStart(int index) => index == 0 ? 0 : _balanceEnd[index - 1];

    /// <summary>One past the last balance row of entry <paramref name="index"/>.</summary>
    public int BalanceEnd(int index) => _balanceEnd[index];

    /// <summary>Asset of balance row <paramref name="row"/>.</summary>
    public int BalanceAsset(int row) => _balanceAsset[row];

    /// <summary>Signed amount (quantums) of balance row <paramref name="row"/>.</summary>
    public long BalanceAmount(int row) => _balanceAmount[row];

    /// <summary>First position row of entry <paramref name="index"/>.</summary>
    public int PositionStart(int index) => index == 0 ? 0 : _positionEnd[index - 1];

    /// <summary>One past the last position row of entry <paramref name="index"/>.</summary>
    public int PositionEnd(int index) => _positionEnd[index];

    /// <summary>Position row <paramref name="row"/>: market, signed size and quote.</summary>
    public (int Market, long Size, long Quote) Position(int row) => (_positionMarket[row], _positionSize[row], _positionQuote[row]);

    /// <summary>Builds a table holding <paramref name="subaccounts"/>.</summary>
    public static EvalSubaccountTable From(IReadOnlyList<EvalSubaccount> subaccounts)
    {
        if (subaccounts is EvalSubaccountTable t)
        {
            return t;
        }

        var table = new EvalSubaccountTable();
        foreach (EvalSubaccount s in subaccounts)
        {
            foreach ((int asset, long amount) in s.Balances)
            {
                table.AddBalance(asset, amount);
            }

            foreach ((int market, long size, long quote) in s.Positions)
            {
                table.AddPosition(market, size, quote);
            }

            table.EndRow(s.Key, s.Mode);
        }

        return table;
    }

    /// <summary>Adds a balance to the row being built.</summary>
    public void AddBalance(int asset, long amount)
    {
        if (_balances == _balanceAsset.Length)
        {
            Array.Resize(ref _balanceAsset, _balances * 2);
            Array.Resize(ref _balanceAmount, _balances * 2);
        }

        _balanceAsset[_balances] = asset;
        _balanceAmount[_balances++] = amount;
    }

    /// <summary>Adds a position to the row being built.</summary>
    public void AddPosition(int market, long size, long quote)
    {
        if (_positions == _positionMarket.Length)
        {
            Array.Resize(ref _positionMarket, _positions * 2);
            Array.Resize(ref _positionSize, _positions * 2);
            Array.Resize(ref _positionQuote, _positions * 2);
        }

        _positionMarket[_positions] = market;
        _positionSize[_positions] = size;
        _positionQuote[_positions++] = quote;
    }

    /// <summary>Drops the balances and positions added since the last finished row (an entry given up on).</summary>
    public void DiscardRow()
    {
        _balances = Count == 0 ? 0 : _balanceEnd[Count - 1];
        _positions = Count == 0 ? 0 : _positionEnd[Count - 1];
    }

    /// <summary>Finishes the row being built with its key and mode.</summary>
    public void EndRow(AccountKey key, MarginMode mode)
    {
        int n = _count;
        if (n == _keys.Length)
        {
            Array.Resize(ref _keys, n * 2);
            Array.Resize(ref _modes, n * 2);
            Array.Resize(ref _balanceEnd, n * 2);
            Array.Resize(ref _positionEnd, n * 2);
        }

        _keys[n] = key;
        _modes[n] = mode;
        _balanceEnd[n] = _balances;
        _positionEnd[n] = _positions;
        Volatile.Write(ref _count, n + 1);
    }

    /// <inheritdoc />
    public IEnumerator<EvalSubaccount> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
