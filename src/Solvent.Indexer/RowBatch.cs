namespace Solvent.Indexer;

/// <summary>One trade for the candle table: block time, market, price (quote quantums per whole base unit), |size|, |quote|.</summary>
public readonly record struct Trade(long Time, int Market, long Price, long Size, long Quote);

/// <summary>Where one block's rows start in a <see cref="RowBatch"/>.</summary>
/// <param name="Height">Block height.</param>
/// <param name="Time">Block time (Unix seconds).</param>
/// <param name="StateRoot">State root after the block.</param>
/// <param name="ActionCount">Actions in the block.</param>
/// <param name="RowStarts">Row index of the block's first row, per table (in <see cref="Table.All"/> order).</param>
/// <param name="TradeStart">Index of the block's first trade.</param>
public sealed record BlockMark(long Height, long Time, byte[] StateRoot, int ActionCount, int[] RowStarts, int TradeStart);

/// <summary>
/// The rows of consecutive blocks written in one transaction, per table, with each block's start so a
/// writer can skip blocks the database already holds. Reused: <see cref="Clear"/> keeps the buffers.
/// </summary>
public sealed class RowBatch
{
    private readonly RowBuffer[] _tables = [.. Table.All.Select(t => new RowBuffer(t))];

    /// <summary>Blocks in the batch, in height order.</summary>
    public List<BlockMark> Blocks { get; } = [];

    /// <summary>Trades of every block, in order.</summary>
    public List<Trade> Trades { get; } = [];

    /// <summary>The engine's snapshot image after the batch's last block, written with the batch (null: none this batch).</summary>
    public IndexerSnapshot? Snapshot { get; set; }

    /// <summary>Total cells held, a measure of the batch's size.</summary>
    public int Rows => _tables.Sum(t => t.Rows);

    /// <summary>Actions in the batch's blocks.</summary>
    public long Actions => Blocks.Sum(b => (long)b.ActionCount);

    /// <summary>The buffer of <paramref name="table"/>.</summary>
    public RowBuffer Of(Table table) => _tables[table.Ordinal];

    /// <summary>Marks the start of a block's rows.</summary>
    public void BeginBlock(long height, long time, byte[] stateRoot, int actionCount) =>
        Blocks.Add(new BlockMark(height, time, stateRoot, actionCount, [.. _tables.Select(t => t.Rows)], Trades.Count));

    /// <summary>Drops every block and row, keeping the buffers.</summary>
    public void Clear()
    {
        foreach (RowBuffer t in _tables)
        {
            t.Clear();
        }

        Blocks.Clear();
        Trades.Clear();
        Snapshot = null;
    }
}
