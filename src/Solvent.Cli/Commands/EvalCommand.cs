using System.Buffers;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Solvent.Core.Config;
using Solvent.Core.Eval;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent eval FILE [--json]</c>: health of the subaccounts in an eval request (docs/eval.md).</summary>
internal static class EvalCommand
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "Eval request (JSON), or - for standard input" };
        var json = new Option<bool>("--json") { Description = "Print JSON (decimal strings and raw integers) instead of a table" };
        var noLiquidationPrices = new Option<bool>("--no-liquidation-prices") { Description = "Leave every liquidation price null / — (each is a bisection: most of the time of a report)" };
        var timing = new Option<bool>("--timing") { Description = "Print the time of each phase (read, parse, build, report) to standard error" };
        var cmd = new Command("eval", "Evaluate subaccount health offline from a genesis, prices and balances") { file, json, noLiquidationPrices, timing };
        cmd.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(json), !parse.GetValue(noLiquidationPrices), parse.GetValue(timing)));
        return cmd;
    }

    private static int Run(string path, bool asJson, bool liquidationPrices, bool timing)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ReadOnlyMemory<byte> text;
        string baseDir;
        try
        {
            if (path != "-" && Directory.Exists(path))
            {
                Console.Error.WriteLine($"error: cannot read {path}: it is a directory; give the eval request file (docs/eval.md), e.g. scenarios/eval.example.json");
                return 2;
            }

            text = path == "-" ? ReadAll(Console.OpenStandardInput()) : File.ReadAllBytes(path);
            baseDir = path == "-" ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot read {path}: {e.Message}");
            return 2;
        }

        if (text.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = text[3..];
        }

        long readMs = clock.ElapsedMilliseconds;
        EvalInput input;
        EvalBook book;
        long parseMs;
        try
        {
            input = EvalInput.Parse(text, LoadGenesis(baseDir));
            if (text.Length > 1 << 24)
            {
                // The request's bytes are dead once parsed: freed now, they are not held beside the book.
                text = default;
                GC.Collect();
            }

            text = default;
            parseMs = clock.ElapsedMilliseconds;
            book = input.Build(Environment.ProcessorCount);
        }
        catch (GenesisException e)
        {
            Console.Error.WriteLine("error: invalid eval request:");
            foreach (string m in e.Errors)
            {
                Console.Error.WriteLine("  " + m);
            }

            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OverflowException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        long buildMs = clock.ElapsedMilliseconds;
        int reported;
        try
        {
            reported = asJson ? WriteJson(liquidationPrices ? input : null, book, liquidationPrices) : Render(book.Engine, liquidationPrices);
        }
        catch (SubaccountOverflowException e)
        {
            // BuildEngine refuses what it can foresee; this is the backstop, after part of the report.
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (timing)
        {
            long total = clock.ElapsedMilliseconds;
            long reportMs = total - buildMs;
            Console.Error.WriteLine(
                $"timing: subaccounts={reported} readMs={readMs} parseMs={parseMs - readMs} buildMs={buildMs - parseMs} reportMs={reportMs} totalMs={total} " +
                $"liquidationPrices={(liquidationPrices ? "yes" : "no")} usersPerSec={(total == 0 ? 0 : reported * 1000L / total)}");
        }

        return 0;
    }

    private static Func<string, string> LoadGenesis(string baseDir) => p =>
    {
        string full = Path.Combine(baseDir, p);
        if (Directory.Exists(full))
        {
            throw new IOException($"genesis '{p}' is a directory ({full}); give a genesis file (docs/genesis.md)");
        }

        return File.ReadAllText(full);
    };

    private static ReadOnlyMemory<byte> ReadAll(Stream input)
    {
        var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    // The report goes out as it is made: runs of subaccounts are formatted on one worker thread per
    // core into buffers and written in order, each worker at most two runs ahead, so memory holds the
    // book and a few runs' output (~0.6 MB each), never the whole report (~2.4 KB per subaccount).
    // Liquidation-price searches move their engine's prices, so each worker but the first then
    // formats from a replica of the book of its own.
    private static int WriteJson(EvalInput? input, EvalBook book, bool liquidationPrices)
    {
        const int Run = 256;
        using Stream stdout = Console.OpenStandardOutput();
        var writer = new EvalReportWriter(book, liquidationPrices);
        var piece = new ArrayBufferWriter<byte>();
        writer.WriteHead(piece);
        stdout.Write(piece.WrittenSpan);

        int first = writer.FirstId, end = writer.EndId;
        int runs = (end - first + Run - 1) / Run;
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, runs));
        var done = new BlockingCollection<ArrayBufferWriter<byte>>[workers];
        var failures = new Exception?[workers];
        var spare = new ConcurrentBag<ArrayBufferWriter<byte>>();
        for (int k = 0; k < workers; k++)
        {
            int worker = k;
            done[worker] = new BlockingCollection<ArrayBufferWriter<byte>>(boundedCapacity: 2);
            var thread = new Thread(() =>
            {
                try
                {
                    EvalReportWriter w = worker == 0 || !liquidationPrices ? writer : new EvalReportWriter(input!.Replica(book), liquidationPrices);
                    for (int r = worker; r < runs; r += workers)
                    {
                        ArrayBufferWriter<byte> buffer = spare.TryTake(out ArrayBufferWriter<byte>? b) ? b : new ArrayBufferWriter<byte>(1 << 20);
                        buffer.ResetWrittenCount();
                        int from = first + (r * Run), to = Math.Min(end, from + Run);
                        for (int id = from; id < to; id++)
                        {
                            try
                            {
                                w.WriteSubaccounts(buffer, id, id + 1);
                            }
                            catch (OverflowException)
                            {
                                throw new SubaccountOverflowException(book.Engine, id);
                            }
                        }

                        done[worker].Add(buffer);
                    }
                }
                catch (Exception e)
                {
                    failures[worker] = e;
                }
                finally
                {
                    done[worker].CompleteAdding();
                }
            })
            { IsBackground = true, Name = $"eval report {worker}" };
            thread.Start();
        }

        for (int r = 0; r < runs; r++)
        {
            int worker = r % workers;
            if (!done[worker].TryTake(out ArrayBufferWriter<byte>? buffer, Timeout.Infinite))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[worker]!);
            }

            stdout.Write(buffer.WrittenSpan);
            spare.Add(buffer);
        }

        piece.ResetWrittenCount();
        writer.WriteTail(piece);
        stdout.Write(piece.WrittenSpan);
        stdout.Write("\n"u8);
        return end - first;
    }

    private static int Render(Core.Engine engine, bool liquidationPrices)
    {
        (List<AssetParameters> assets, List<MarketParameters> markets) = EvalReport.Parameters(engine);
        RenderParameters(engine.Genesis.Name, assets, markets);
        int reported = 0;
        for (int id = 0; id < engine.Accounts.Count; id++)
        {
            if (engine.IsProtocolAccount(id))
            {
                continue;
            }

            SubaccountReport s;
            try
            {
                s = EvalReport.Subaccount(engine, id, liquidationPrices);
            }
            catch (OverflowException)
            {
                throw new SubaccountOverflowException(engine, id);
            }

            RenderSubaccount(s);
            reported++;
        }

        return reported;
    }

    private sealed class SubaccountOverflowException(Core.Engine engine, int id)
        : Exception($"subaccount {engine.Accounts.KeyOf(id).Owner}/{engine.Accounts.KeyOf(id).Number}: a figure of its report leaves the engine's integer range (largest holding {EvalReport.OutOfRange(engine, id) ?? "unknown"})");

    private static void RenderParameters(string venue, List<AssetParameters> assets, List<MarketParameters> markets)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(venue)}[/]");
        bool feeds = assets.Any(a => a.PriceSource == "oracle");
        var at = new Table().Title("assets: prices and weights in force");
        at.AddColumns(feeds ? ["asset", "feed", "price", "stable", "TWAP", "σ real.", "σ impl.", "w init/maint"] : ["asset", "price (governance)", "weight init / maint"]);
        foreach (AssetParameters a in assets)
        {
            string w = $"{a.InitialAssetWeight.Value} / {a.MaintenanceAssetWeight.Value}";
            if (feeds)
            {
                at.AddRow(a.Asset, a.PriceSource == "oracle" ? a.FeedStatus : "gov.", a.Price.Value, a.StablePrice?.Value ?? "—", a.Twap?.Value ?? "—", a.RealizedVolatility?.Value ?? "—", a.ImpliedVolatility?.Value ?? "—", w);
            }
            else
            {
                at.AddRow(a.Asset, a.Price.Value, w);
            }
        }

        AnsiConsole.Write(at);
        if (markets.Count > 0)
        {
            var mt = new Table().Title("perpetual markets").AddColumns("market", "index", "IMF", "MMF", "vol. controlled");
            foreach (MarketParameters m in markets)
            {
                mt.AddRow(m.Market, m.IndexPrice.Value, m.InitialMarginFraction.Value, m.MaintenanceMarginFraction.Value, m.Controlled ? "yes" : "no");
            }

            AnsiConsole.Write(mt);
        }
    }

    private static void RenderSubaccount(SubaccountReport s)
    {
        var t = new Table().Title($"{s.Owner}/{s.Number} ({s.Mode})").AddColumns("asset", "balance", "price", "value (USD)", "liquidation price");
        foreach (BalanceLine b in s.Balances)
        {
            t.AddRow(b.Asset, b.Balance.Value, b.Price.Value, b.Value.Value, b.LiquidationPrice?.Value ?? "—");
        }

        AnsiConsole.Write(t);
        if (s.Positions.Count > 0)
        {
            var pt = new Table().AddColumns("market", "size", "entry", "index", "unrealized PnL", "maint. req.", "IMF", "liquidation price");
            foreach (PositionLine p in s.Positions)
            {
                pt.AddRow(p.Market, p.Size.Value, p.EntryPrice.Value, p.IndexPrice.Value, p.UnrealizedPnl.Value, p.MaintenanceRequirement.Value, p.InitialMarginFraction.Value, p.LiquidationPrice?.Value ?? "—");
            }

            AnsiConsole.Write(pt);
        }

        var h = new Table().HideHeaders().AddColumns("figure", "value");
        h.AddRow("collateral / debt (USD)", $"{s.CollateralValue.Value} / {s.DebtValue.Value}");
        h.AddRow("initial health (USD)", s.InitialHealth.Value);
        h.AddRow("maintenance health (USD)", s.MaintenanceHealth.Value);
        h.AddRow("free collateral (USD)", s.FreeCollateral.Value);
        h.AddRow("equity (USD)", s.Equity.Value);
        h.AddRow("health factor", s.HealthFactor?.Value ?? "infinity");
        h.AddRow("liquidatable", s.Liquidatable ? "[red]yes[/]" : "[green]no[/]");
        AnsiConsole.Write(h);
    }
}
