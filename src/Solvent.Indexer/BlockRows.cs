namespace Solvent.Indexer;

/// <summary>Every row one block produces, per table, plus the fills that feed its candles.</summary>
public sealed class BlockRows(long height, long time, byte[] stateRoot, int actionCount)
{
    private readonly List<object?[]>[] _rows = [.. Table.All.Select(_ => new List<object?[]>())];

    /// <summary>Block height.</summary>
    public long Height { get; } = height;

    /// <summary>Block time (Unix seconds).</summary>
    public long Time { get; } = time;

    /// <summary>State root after the block.</summary>
    public byte[] StateRoot { get; } = stateRoot;

    /// <summary>Actions in the block.</summary>
    public int ActionCount { get; } = actionCount;

    /// <summary>Trades for the candle table: market, price (quote quantums per whole base unit), |size|, |quote|.</summary>
    public List<(int Market, long Price, long Size, long Quote)> Trades { get; } = [];

    /// <summary>Rows of <paramref name="table"/>.</summary>
    public List<object?[]> Of(Table table) => _rows[table.Ordinal];

    /// <summary>Adds a row to <paramref name="table"/>.</summary>
    public void Add(Table table, params object?[] row) => _rows[table.Ordinal].Add(row);
}
