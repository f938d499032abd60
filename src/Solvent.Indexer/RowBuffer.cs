using System.Numerics;

namespace Solvent.Indexer;

/// <summary>
/// The rows of one table for one batch, cell by cell in COPY order: integers and booleans unboxed in a
/// <c>long</c> array, byte strings, text and numerics by reference. Cleared and reused batch after batch, so
/// projecting a row allocates nothing once the arrays have grown.
/// </summary>
public sealed class RowBuffer(Table table)
{
    private static readonly object NullCell = new();
    private long[] _longs = new long[1024];
    private object?[] _refs = new object?[1024];
    private int _cells;

    /// <summary>The table the rows belong to.</summary>
    public Table Table { get; } = table;

    /// <summary>Complete rows held.</summary>
    public int Rows => _cells / Table.Columns.Count;

    /// <summary>Drops every row, keeping the arrays.</summary>
    public void Clear()
    {
        Array.Clear(_refs, 0, _cells);
        _cells = 0;
    }

    /// <summary>Appends an integer, smallint, bigint or boolean (0/1) cell.</summary>
    public RowBuffer Long(long v)
    {
        int i = Next();
        _longs[i] = v;
        return this;
    }

    /// <summary>Appends a boolean cell.</summary>
    public RowBuffer Bool(bool v) => Long(v ? 1 : 0);

    /// <summary>Appends a cell that may be SQL NULL.</summary>
    public RowBuffer Long(long? v) => v is { } x ? Long(x) : Null();

    /// <summary>Appends a bytea, text or numeric (boxed <see cref="BigInteger"/>) cell; null is SQL NULL.</summary>
    public RowBuffer Ref(object? v)
    {
        int i = Next();
        _refs[i] = v ?? NullCell;
        return this;
    }

    /// <summary>Appends a numeric cell.</summary>
    public RowBuffer Numeric(BigInteger v) => Ref(v);

    /// <summary>Appends SQL NULL.</summary>
    public RowBuffer Null() => Ref(null);

    /// <summary>Whether cell <paramref name="i"/> is SQL NULL.</summary>
    public bool IsNull(int i) => ReferenceEquals(_refs[i], NullCell);

    /// <summary>Integer value of cell <paramref name="i"/>.</summary>
    public long LongAt(int i) => _longs[i];

    /// <summary>Reference value of cell <paramref name="i"/>.</summary>
    public object? RefAt(int i) => _refs[i];

    private int Next()
    {
        if (_cells == _longs.Length)
        {
            Array.Resize(ref _longs, _cells * 2);
            Array.Resize(ref _refs, _cells * 2);
        }

        _refs[_cells] = null;
        return _cells++;
    }
}
