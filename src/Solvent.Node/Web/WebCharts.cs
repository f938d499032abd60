using ScottPlot;

namespace Solvent.Node.Web;

/// <summary>
/// The web app's charts, drawn by ScottPlot as standalone SVG documents (served as <c>image/svg+xml</c>). Inputs
/// are figures the engine already computed; doubles here only place pixels.
/// </summary>
public static class WebCharts
{
    private const int Width = 640, Height = 300;

    /// <summary>Borrow and supply rate (% per year) over utilization 0..100 %, with the pool's current point marked.</summary>
    public static string RateCurve(string symbol, RateCurve curve)
    {
        var plt = new Plot();
        double[] u = [.. curve.Points.Select(p => p.Utilization * 100)];
        var b = plt.Add.Scatter(u, [.. curve.Points.Select(p => p.Borrow * 100)]);
        b.LegendText = "borrow rate";
        b.MarkerSize = 0;
        var s = plt.Add.Scatter(u, [.. curve.Points.Select(p => p.Supply * 100)]);
        s.LegendText = "supply rate";
        s.MarkerSize = 0;
        var now = plt.Add.Markers(new[] { curve.Utilization * 100, curve.Utilization * 100 }, new[] { curve.Borrow * 100, curve.Supply * 100 });
        now.MarkerSize = 9;
        now.Color = Colors.Black;
        now.LegendText = $"now: utilization {curve.Utilization * 100:0.##} %";
        plt.Title($"{symbol} interest rate curve");
        plt.XLabel("utilization (%)");
        plt.YLabel("rate (% per year)");
        plt.ShowLegend(Alignment.UpperLeft);
        return Svg(plt);
    }

    /// <summary>USD of collateral in subaccounts liquidatable after each single-asset move: assets as rows, moves (%) as columns.</summary>
    public static string Heatmap(LiquidationHeatmap map)
    {
        var plt = new Plot();
        int rows = map.Assets.Length, cols = map.Moves.Length;
        var cells = new double[rows, cols];
        for (int a = 0; a < rows; a++)
        {
            for (int j = 0; j < cols; j++)
            {
                // Row 0 is drawn at the top.
                cells[a, j] = (double)map.Value[a][j] / 1e6;
            }
        }

        var hm = plt.Add.Heatmap(cells);
        hm.RenderStrategy = new ScottPlot.Plottables.Heatmap.RenderStrategies.Rectangles();
        hm.Colormap = new ScottPlot.Colormaps.Turbo();
        hm.Position = new CoordinateRect(map.Moves[0], map.Moves[^1], 0, rows - 1);
        plt.Add.ColorBar(hm).Label = "liquidatable collateral (USD)";
        plt.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i))], map.Assets);
        plt.Title($"Liquidatable collateral by price move, block {map.Height}");
        plt.XLabel("move of one asset's price (%)");
        plt.YLabel("asset moved");
        return plt.GetSvgHtml(900, 420);
    }

    /// <summary>Insurance funds (USD at each block's prices) of every pool and perp market over the kept blocks.</summary>
    public static string Insurance(InsurancePoint[] points, IReadOnlyList<string> pools, IReadOnlyList<string> markets, IReadOnlyList<long> valueDivisors, int quoteAsset, long quoteDivisor)
    {
        var plt = new Plot();
        double[] heights = [.. points.Select(p => (double)p.Height)];
        for (int a = 0; a < pools.Count; a++)
        {
            var l = plt.Add.Scatter(heights, [.. points.Select(p => (double)((Int128)p.PoolInsurance[a] * p.PoolPrices[a] / valueDivisors[a]) / 1e6)]);
            l.LegendText = $"{pools[a]} pool";
            l.MarkerSize = points.Length == 1 ? 5 : 0;
        }

        for (int m = 0; m < markets.Count; m++)
        {
            var l = plt.Add.Scatter(heights, [.. points.Select(p => (double)((Int128)p.MarketInsurance[m] * p.PoolPrices[quoteAsset] / quoteDivisor) / 1e6)]);
            l.LegendText = $"{markets[m]} market";
            l.MarkerSize = points.Length == 1 ? 5 : 0;
        }

        plt.Title(points.Length == 0 ? "Insurance funds (no block since the node started)" : $"Insurance funds, blocks {points[0].Height}–{points[^1].Height}");
        plt.XLabel("block height");
        plt.YLabel("USD");
        plt.ShowLegend(Alignment.UpperLeft);
        return Svg(plt);
    }

    private static string Svg(Plot plt) => plt.GetSvgHtml(Width, Height);
}
