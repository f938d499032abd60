using System.Text.Json;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>One subaccount of an eval request: signed balances in human units by symbol.</summary>
public sealed record EvalSubaccount(AccountKey Key, MarginMode Mode, IReadOnlyList<(int Asset, long Amount)> Balances)
{
    /// <summary>Perpetual positions: market, signed size (base quantums) and quote (−size × entry price, quote quantums).</summary>
    public IReadOnlyList<(int Market, long Size, long Quote)> Positions { get; init; } = [];
}

/// <summary>
/// An offline evaluation request (docs/eval.md): a genesis, price overrides and subaccounts. Parsing
/// reports every problem with its JSON path, like genesis loading.
/// </summary>
public sealed record EvalInput(Genesis Genesis, IReadOnlyList<(int Asset, long Price)> Prices, IReadOnlyList<EvalSubaccount> Subaccounts)
{
    // The subaccounts booked while the request was parsed, for the first build to take.
    private EvalImportAhead? _ahead;

    /// <summary>The booking started while parsing, until the first build takes it (for tests).</summary>
    internal EvalImportAhead? PendingBooking => _ahead;

    /// <summary>Parses a request. <paramref name="loadGenesisFile"/> resolves a genesis given by path (the caller owns I/O).</summary>
    public static EvalInput Parse(string json, Func<string, string> loadGenesisFile) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(json), loadGenesisFile);

    /// <summary>
    /// Parses a request given as UTF-8 bytes, read in place. Subaccounts are parsed one at a time, so
    /// beyond the bytes themselves a large request costs only what its subaccounts hold, not a document
    /// tree of the whole request.
    /// </summary>
    public static EvalInput Parse(ReadOnlyMemory<byte> utf8Json, Func<string, string> loadGenesisFile) =>
        Parse(utf8Json, loadGenesisFile, directReader: true);

    /// <summary>
    /// As <see cref="Parse(ReadOnlyMemory{byte}, Func{string, string})"/>; without
    /// <paramref name="directReader"/> every subaccount goes through the field reader (for tests that
    /// compare the two).
    /// </summary>
    internal static EvalInput Parse(ReadOnlyMemory<byte> utf8Json, Func<string, string> loadGenesisFile, bool directReader)
    {
        var ahead = new EvalImportAhead?[1];
        try
        {
            EvalInput input = Parse(utf8Json, loadGenesisFile, directReader, ahead);
            ahead[0]?.TableComplete();
            input._ahead = ahead[0];
            ahead[0] = null;
            return input;
        }
        finally
        {
            ahead[0]?.Abandon();
        }
    }

    // Parses; ahead[0] holds the booking of subaccounts read in the syntax pass, while it stands.
    private static EvalInput Parse(ReadOnlyMemory<byte> utf8Json, Func<string, string> loadGenesisFile, bool directReader, EvalImportAhead?[] ahead)
    {
        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var reader = new Utf8JsonReader(utf8Json.Span, options);
        JsonDocument? genesisDoc = null, pricesDoc = null;
        Utf8JsonReader subaccountsAt = default;
        bool hasSubaccounts = false;

        // Subaccounts that follow their genesis are read in the syntax pass itself (most requests put
        // the genesis first); they stand if no later "genesis" or "subaccounts" field replaces either.
        Genesis? earlyGenesis = null;
        EvalSubaccountTable? earlySubs = null;
        JsonFieldReader? earlyErrors = null;
        bool early = false;
        try
        {
            // First pass: check the syntax of the whole request and take the genesis and prices, which
            // may come after the subaccounts but are needed to read them.
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                if (reader.TokenType != JsonTokenType.None)
                {
                    reader.Skip();
                    while (reader.Read())
                    {
                    }
                }

                throw new GenesisException(["(document): must be a JSON object"]);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("genesis"u8) || reader.ValueTextEquals("prices"u8))
                {
                    bool isGenesis = reader.ValueTextEquals("genesis"u8);
                    reader.Read();
                    JsonDocument d = JsonDocument.ParseValue(ref reader);
                    (isGenesis ? ref genesisDoc : ref pricesDoc)?.Dispose();
                    (isGenesis ? ref genesisDoc : ref pricesDoc) = d;
                    if (isGenesis)
                    {
                        early = false;
                        earlyGenesis = null;
                        ahead[0]?.Abandon();
                        ahead[0] = null;
                    }
                }
                else if (reader.ValueTextEquals("subaccounts"u8))
                {
                    subaccountsAt = reader;
                    hasSubaccounts = true;
                    early = false;
                    ahead[0]?.Abandon();
                    ahead[0] = null;
                    if (genesisDoc is not null && earlyGenesis is null)
                    {
                        try
                        {
                            earlyGenesis = ReadGenesis(Present(genesisDoc), loadGenesisFile);
                        }
                        catch (Exception e) when (e is not JsonException)
                        {
                            // Reported in its turn, after the syntax of the whole request is known good.
                        }
                    }

                    reader.Read();
                    if (earlyGenesis is not null)
                    {
                        earlySubs = new EvalSubaccountTable();
                        ahead[0] = new EvalImportAhead(earlyGenesis, earlySubs);
                        earlyErrors = new JsonFieldReader();
                        ReadSubaccounts(ref reader, earlyErrors, earlySubs, earlyGenesis, directReader);
                        early = true;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            while (reader.Read())
            {
                // Trailing content after the root object is a syntax error the reader reports here.
            }
        }
        catch (JsonException e)
        {
            genesisDoc?.Dispose();
            pricesDoc?.Dispose();
            throw new GenesisException([$"(document): not valid JSON: {e.Message}"]);
        }

        using (genesisDoc)
        using (pricesDoc)
        {
            var r = new JsonFieldReader();
            Genesis genesis = early ? earlyGenesis! : ReadGenesis(Present(genesisDoc), loadGenesisFile);

            var prices = new List<(int, long)>();
            if (Present(pricesDoc) is { } pe)
            {
                if (pe.ValueKind != JsonValueKind.Object)
                {
                    r.Fail("prices", "must be an object of symbol → decimal string");
                }
                else
                {
                    var seen = new bool[genesis.Assets.Count];
                    foreach (JsonProperty prop in pe.EnumerateObject())
                    {
                        string pp = $"prices.{prop.Name}";
                        int a = genesis.FindAsset(prop.Name);
                        if (a < 0)
                        {
                            r.Fail(pp, "unknown asset");
                            continue;
                        }

                        if (!FirstMention(r, seen, a, pp, genesis.Assets[a].Symbol))
                        {
                            continue;
                        }

                        prices.Add((a, r.Decimal(prop.Value, pp, Math.Precision.PriceDecimals, 1, long.MaxValue / 1000)));
                    }
                }
            }

            EvalSubaccountTable subs;
            var errors = new List<string>(r.Errors);
            if (!hasSubaccounts)
            {
                subs = new EvalSubaccountTable();
                errors.Add("subaccounts: is required");
            }
            else if (early)
            {
                subs = earlySubs!;
                errors.AddRange(earlyErrors!.Errors);
            }
            else
            {
                subs = new EvalSubaccountTable();
                var rs = new JsonFieldReader();
                reader = subaccountsAt;
                reader.Read();
                ReadSubaccounts(ref reader, rs, subs, genesis, directReader);
                errors.AddRange(rs.Errors);
            }

            if (errors.Count > 0)
            {
                throw new GenesisException(errors);
            }

            return new EvalInput(genesis, prices, subs);
        }
    }

    // Reads the "subaccounts" value at the reader into the table, leaving the reader on its last token.
    private static void ReadSubaccounts(ref Utf8JsonReader reader, JsonFieldReader r, EvalSubaccountTable subs, Genesis genesis, bool directReader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            r.Fail("subaccounts", "is required");
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            r.Fail("subaccounts", "must be an array");
            reader.Skip();
            return;
        }

        int i = 0;
        var fast = new EvalSubaccountReader(genesis);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Utf8JsonReader at = reader;
            if (directReader && fast.TryRead(ref reader, subs))
            {
                i++;
                continue;
            }

            // Anything the direct reader does not take is read by the field reader, which gives the
            // value or the message.
            subs.DiscardRow();
            reader = at;
            using JsonDocument d = JsonDocument.ParseValue(ref reader);
            EvalSubaccount s = ReadSubaccount(r, d.RootElement, $"subaccounts[{i++}]", genesis);
            foreach ((int asset, long amount) in s.Balances)
            {
                subs.AddBalance(asset, amount);
            }

            foreach ((int market, long size, long quote) in s.Positions)
            {
                subs.AddPosition(market, size, quote);
            }

            subs.EndRow(s.Key, s.Mode);
        }
    }

    // A field given as null counts as absent, as JsonFieldReader.Get has it.
    private static JsonElement? Present(JsonDocument? d) =>
        d is null || d.RootElement.ValueKind == JsonValueKind.Null ? null : d.RootElement;

    /// <summary>
    /// Builds an engine holding exactly this request's prices and balances. A value beyond the engine's
    /// integer range is refused here, naming the subaccount and the asset or market, so that the report
    /// (which is streamed) never fails half-written.
    /// </summary>
    public Engine BuildEngine() => Build(parallelism: 1).Engine;

    /// <summary>
    /// As <see cref="BuildEngine"/>, keeping each subaccount's health for the report. The health checks
    /// run on up to <paramref name="parallelism"/> threads (they only read the book); the outcome,
    /// including which subaccount a refusal names, does not depend on it.
    /// </summary>
    public EvalBook Build(int parallelism)
    {
        (Engine engine, int first, int[] entryOf) = Import();
        var health = new Risk.Health[engine.Accounts.Count];
        int reported = engine.Accounts.Count - first;
        const int Chunk = 4096;
        int chunks = (reported + Chunk - 1) / Chunk;
        var firstFailure = new int[chunks];
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = System.Math.Max(1, parallelism) },
            c =>
            {
                firstFailure[c] = -1;
                int end = first + System.Math.Min(reported, (c + 1) * Chunk);
                for (int id = first + (c * Chunk); id < end; id++)
                {
                    if (EvalReport.TryHealth(engine, id, out health[id]) is false)
                    {
                        firstFailure[c] = id;
                        return;
                    }
                }
            });

        // The lowest failing id, as a sequential check would find.
        foreach (int id in firstFailure)
        {
            if (id >= 0)
            {
                string holding = EvalReport.OutOfRange(engine, id)!;
                throw new GenesisException([$"subaccounts[{entryOf[id - first]}].{holding}; the subaccount's health figures leave the engine's integer range"]);
            }
        }

        return new EvalBook(engine, health);
    }

    /// <summary>
    /// A second book equal to <paramref name="book"/> (built from this request by <see cref="Build"/>)
    /// with an engine of its own, for a report whose liquidation-price searches run on several threads:
    /// each search moves its engine's prices while it runs.
    /// </summary>
    public EvalBook Replica(EvalBook book) => new(Import().Engine, book.Health);

    // The engine with the request's prices, balances and positions; the first reported account id and,
    // for each reported account, the request entry that created it. The first build of a parsed request
    // takes the engine booked while it was parsed, if any.
    private (Engine Engine, int First, int[] EntryOf) Import()
    {
        if (Interlocked.Exchange(ref _ahead, null) is { } ahead)
        {
            return ahead.Complete(Prices);
        }

        EvalSubaccountTable table = EvalSubaccountTable.From(Subaccounts);
        var importer = new EvalImporter(Genesis);
        importer.Reserve(table.Count);
        importer.Rows(table, 0, table.Count);
        return importer.Finish(Prices);
    }

    private static Genesis ReadGenesis(JsonElement? g, Func<string, string> load)
    {
        try
        {
            return g switch
            {
                null => throw new GenesisException(["genesis: is required"]),
                { ValueKind: JsonValueKind.Object } obj => GenesisLoader.FromElement(obj),
                { ValueKind: JsonValueKind.String } path => GenesisLoader.Parse(load(path.GetString()!)),
                _ => throw new GenesisException(["genesis: must be a path string or an inline genesis object"]),
            };
        }
        catch (GenesisException e)
        {
            throw new GenesisException(e.Errors.Select(m => m.StartsWith("genesis", StringComparison.Ordinal) ? m : "genesis." + m).ToArray());
        }
    }

    private static EvalSubaccount ReadSubaccount(JsonFieldReader r, JsonElement s, string path, Genesis g)
    {
        Address owner = r.Address(s, path, "owner");
        uint number = (uint)r.Integer(s, path, "number", 0, uint.MaxValue, 0, required: false);
        string modeText = r.String(s, path, "mode", "cross", required: false);
        MarginMode mode = MarginMode.Cross;
        if (modeText == "isolated")
        {
            mode = MarginMode.Isolated;
        }
        else if (modeText != "cross")
        {
            r.Fail(path + ".mode", $"must be 'cross' or 'isolated', got '{modeText}'");
        }

        var balances = new List<(int, long)>();
        if (r.Get(s, path, "balances") is { } be)
        {
            if (be.ValueKind != JsonValueKind.Object)
            {
                r.Fail(path + ".balances", "must be an object of symbol → signed decimal string");
            }
            else
            {
                Span<bool> seen = stackalloc bool[g.Assets.Count];
                foreach (JsonProperty prop in be.EnumerateObject())
                {
                    int a = g.FindAsset(prop.Name);
                    if (a < 0)
                    {
                        r.Fail($"{path}.balances.{prop.Name}", "unknown asset");
                        continue;
                    }

                    if (!FirstMention(r, seen, a, $"{path}.balances.{prop.Name}", g.Assets[a].Symbol))
                    {
                        continue;
                    }

                    balances.Add((a, r.Decimal(prop.Value, $"{path}.balances.{prop.Name}", g.Assets[a].QuantumDecimals, long.MinValue / 2, long.MaxValue / 2)));
                }
            }
        }

        var positions = new List<(int, long, long)>();
        if (r.Get(s, path, "positions", required: false) is { } pe)
        {
            if (pe.ValueKind != JsonValueKind.Object)
            {
                r.Fail(path + ".positions", "must be an object of market → {size, entryPrice}");
            }
            else
            {
                Span<bool> seen = stackalloc bool[g.Markets.Count];
                foreach (JsonProperty prop in pe.EnumerateObject())
                {
                    string pp = $"{path}.positions.{prop.Name}";
                    int m = g.FindMarket(prop.Name);
                    if (m < 0)
                    {
                        r.Fail(pp, "unknown market");
                        continue;
                    }

                    if (!FirstMention(r, seen, m, pp, g.Markets[m].Symbol))
                    {
                        continue;
                    }

                    int qd = g.Assets[g.Markets[m].BaseAsset].QuantumDecimals;
                    long size = r.Decimal(prop.Value, pp, "size", qd, long.MinValue / 4, long.MaxValue / 4);
                    long entry = r.Decimal(prop.Value, pp, "entryPrice", Math.Precision.PriceDecimals, 1, long.MaxValue / 1000);
                    long divisor = (long)Math.Precision.Pow10(qd + Math.Precision.PriceDecimals - Math.Precision.ValueDecimals);
                    Int128 quote = -Perps.FundingMath.FloorDiv((Int128)size * entry, divisor);
                    if (size == 0 || quote > long.MaxValue / 4 || quote < long.MinValue / 4)
                    {
                        r.Fail(pp + ".size", "must be non-zero and of a representable notional");
                        continue;
                    }

                    positions.Add((m, size, (long)quote));
                }
            }
        }

        return new EvalSubaccount(new AccountKey(owner, number), mode, balances) { Positions = positions };
    }

    // A JSON object may repeat a name, and symbols match case-insensitively, so "ETH" and "eth" name one
    // asset: summing them or keeping the last would evaluate a request other than the one written.
    private static bool FirstMention(JsonFieldReader r, Span<bool> seen, int index, string path, string symbol)
    {
        if (seen[index])
        {
            r.Fail(path, $"{symbol} is given more than once (symbols match case-insensitively); give each once");
            return false;
        }

        seen[index] = true;
        return true;
    }
}
