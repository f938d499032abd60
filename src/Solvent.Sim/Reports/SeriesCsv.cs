using System.Globalization;
using System.Text;
using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>The series path's time series as CSV: one row per step.</summary>
internal static class SeriesCsv
{
    public static string Write(IReadOnlyList<SeriesPoint> series, IReadOnlyList<string> symbols)
    {
        var sb = new StringBuilder("seconds");
        foreach (string s in symbols)
        {
            sb.Append($",{s}_reference,{s}_market,{s}_oracle,{s}_engine");
        }

        sb.AppendLine(",collateralUsd,debtUsd,atRisk,liquidations,liquidationVolumeUsd,insuranceUsd,adlVolumeUsd,badDebtUsd,utilization,borrowApr");
        foreach (SeriesPoint p in series)
        {
            sb.Append(p.Time.ToString(CultureInfo.InvariantCulture));
            for (int a = 0; a < symbols.Count; a++)
            {
                sb.Append(CultureInfo.InvariantCulture, $",{p.Reference[a]:G8},{p.Market[a]:G8},{p.Oracle[a]:G8},{p.EnginePrice[a]:G8}");
            }

            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $",{p.CollateralUsd:F2},{p.DebtUsd:F2},{p.AtRisk},{p.Liquidations},{p.LiquidationVolumeUsd:F2},{p.InsuranceUsd:F2},{p.AdlVolumeUsd:F2},{p.BadDebtUsd:F2},{p.Utilization:F6},{p.BorrowApr:F6}"));
        }

        return sb.ToString();
    }
}
