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
        var cmd = new Command("eval", "Evaluate subaccount health offline from a genesis, prices and balances") { file, json };
        cmd.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(json)));
        return cmd;
    }

    private static int Run(string path, bool asJson)
    {
        string text;
        string baseDir;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            baseDir = path == "-" ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot read {path}: {e.Message}");
            return 2;
        }

        EvalReport report;
        try
        {
            EvalInput input = EvalInput.Parse(text, p => File.ReadAllText(Path.Combine(baseDir, p)));
            report = EvalReport.Build(input.BuildEngine());
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
        catch (Exception e) when (e is IOException or OverflowException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (asJson)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
            return 0;
        }

        Render(report);
        return 0;
    }

    private static void Render(EvalReport report)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Venue)}[/]");
        bool feeds = report.Assets.Any(a => a.PriceSource == "oracle");
        var at = new Table().Title("assets: prices and weights in force");
        at.AddColumns(feeds ? ["asset", "feed", "price", "stable", "TWAP", "σ real.", "σ impl.", "w init/maint"] : ["asset", "price (governance)", "weight init / maint"]);
        foreach (AssetParameters a in report.Assets)
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
        if (report.Markets.Count > 0)
        {
            var mt = new Table().Title("perpetual markets").AddColumns("market", "index", "IMF", "MMF", "vol. controlled");
            foreach (MarketParameters m in report.Markets)
            {
                mt.AddRow(m.Market, m.IndexPrice.Value, m.InitialMarginFraction.Value, m.MaintenanceMarginFraction.Value, m.Controlled ? "yes" : "no");
            }

            AnsiConsole.Write(mt);
        }

        foreach (SubaccountReport s in report.Subaccounts)
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
}
