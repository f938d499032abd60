namespace Solvent.Core.Eval;

/// <summary>
/// Books a request's subaccounts on a thread of its own while the parser is still filling the table,
/// so that reading and booking a large request overlap. Rows are booked in table order, each once it is
/// published; the outcome is the same as booking the finished table.
/// </summary>
internal sealed class EvalImportAhead
{
    private readonly EvalImporter _importer;
    private readonly EvalSubaccountTable _table;
    private readonly Thread _thread;
    private volatile bool _finished;
    private Config.GenesisException? _failure;

    public EvalImportAhead(Config.Genesis genesis, EvalSubaccountTable table)
    {
        _importer = new EvalImporter(genesis);
        _table = table;
        _thread = new Thread(Run) { IsBackground = true, Name = "eval import" };
        _thread.Start();
    }

    /// <summary>Stops booking (the table will not be used): the thread ends soon after.</summary>
    public void Abandon() => _finished = true;

    /// <summary>
    /// The table is complete (parsing ended): the thread books what is left and ends, whether or not the
    /// request is ever built, so a parsed request that is dropped leaves no thread behind.
    /// </summary>
    public void TableComplete() => _finished = true;

    /// <summary>Whether the booking thread has ended.</summary>
    internal bool Ended => !_thread.IsAlive;

    /// <summary>Once the table is complete: the booked engine with prices set, or the refusal.</summary>
    public (Engine Engine, int First, int[] EntryOf) Complete(IReadOnlyList<(int Asset, long Price)> prices)
    {
        _finished = true;
        _thread.Join();
        if (_failure is { } f)
        {
            throw new Config.GenesisException(f.Errors);
        }

        return _importer.Finish(prices);
    }

    private void Run()
    {
        int booked = 0;
        var spin = default(SpinWait);
        try
        {
            while (true)
            {
                // Read the flag before the count: once finished, the count read after it is final.
                bool finished = _finished;
                int published = _table.Count;
                if (booked < published)
                {
                    _importer.Rows(_table, booked, published);
                    booked = published;
                    spin.Reset();
                }
                else if (finished)
                {
                    return;
                }
                else
                {
                    spin.SpinOnce();
                }
            }
        }
        catch (Config.GenesisException e)
        {
            _failure = e;
        }
    }
}
