namespace Solvent.Sim.Prices;

/// <summary>Calibrated Monte Carlo parameters of one asset (annualized GBM drift/vol, Merton jumps in log terms, hourly GARCH(1,1)).</summary>
/// <param name="Symbol">Asset symbol.</param>
/// <param name="Mu">Annual drift.</param>
/// <param name="Sigma">Annual diffusion volatility (jump hours excluded).</param>
/// <param name="JumpIntensity">Jumps per year.</param>
/// <param name="JumpMean">Mean jump size (log).</param>
/// <param name="JumpStd">Jump size standard deviation (log).</param>
/// <param name="GarchOmega">GARCH ω (hourly variance units).</param>
/// <param name="GarchAlpha">GARCH α.</param>
/// <param name="GarchBeta">GARCH β.</param>
public sealed record AssetCalibration(string Symbol, double Mu, double Sigma, double JumpIntensity, double JumpMean, double JumpStd, double GarchOmega, double GarchAlpha, double GarchBeta);

/// <summary>Calibration over aligned hourly series: per-asset parameters and the return correlation matrix.</summary>
/// <param name="Assets">Per asset.</param>
/// <param name="Correlation">Correlation of hourly log-returns (jump hours excluded), in asset order.</param>
/// <param name="Hours">Aligned hourly returns used.</param>
public sealed record CalibrationResult(IReadOnlyList<AssetCalibration> Assets, double[][] Correlation, int Hours);

/// <summary>
/// Fits the Monte Carlo models to hourly candles: hourly log-returns of closes on timestamps all series
/// share; a return beyond 5 robust standard deviations (1.4826·MAD) is a jump (intensity per year, mean
/// and spread of those returns), the rest give the diffusion σ and the correlation; GARCH(1,1) is fitted by
/// Gaussian maximum likelihood over a grid of (α, β) with ω from variance targeting.
/// </summary>
public static class Calibration
{
    private const double HoursPerYear = 8760;

    // Below this the robust jump split and the GARCH likelihood grid are noise.
    private const int MinHours = 48;

    /// <summary>Calibrates from (symbol, csv path) pairs.</summary>
    public static CalibrationResult Run(IReadOnlyList<(string Symbol, string File)> inputs)
    {
        var series = inputs.Select(i => Load(i.File)).ToList();
        var common = series.Select(s => s.Keys.ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        long[] times = [.. common.Where(t => common.Contains(t + 3600)).Order()];
        var returns = series.Select(s => times.Select(t => Math.Log(s[t + 3600] / s[t])).ToArray()).ToList();
        int n = times.Length;
        if (n < MinHours)
        {
            throw new Scenarios.ScenarioException(string.Join(", ", inputs.Select(i => i.File)), $"only {n} hourly returns on timestamps every file shares; calibration needs at least {MinHours}");
        }

        var jump = new bool[n];
        var cal = new List<AssetCalibration>();
        for (int k = 0; k < returns.Count; k++)
        {
            double[] r = returns[k];
            double med = Median(r);
            double mad = 1.4826 * Median([.. r.Select(x => Math.Abs(x - med))]);
            for (int i = 0; i < n; i++)
            {
                jump[i] |= Math.Abs(r[i] - med) > 5 * mad;
            }
        }

        double years = n / HoursPerYear;
        for (int k = 0; k < returns.Count; k++)
        {
            double[] r = returns[k];
            double med = Median(r);
            double mad = 1.4826 * Median([.. r.Select(x => Math.Abs(x - med))]);
            double[] jumps = [.. r.Where(x => Math.Abs(x - med) > 5 * mad)];
            double[] normal = [.. r.Where((x, i) => !jump[i])];
            double mean = normal.Average();
            double sd = Math.Sqrt(normal.Sum(x => (x - mean) * (x - mean)) / (normal.Length - 1));
            double sigma = sd * Math.Sqrt(HoursPerYear);
            double jm = jumps.Length > 0 ? jumps.Average() : 0;
            double js = jumps.Length > 1 ? Math.Sqrt(jumps.Sum(x => (x - jm) * (x - jm)) / (jumps.Length - 1)) : 0;
            (double w, double a, double b) = FitGarch(r);
            double mu = (r.Average() * HoursPerYear) + (0.5 * sigma * sigma);
            cal.Add(new AssetCalibration(inputs[k].Symbol, R(mu), R(sigma), R(jumps.Length / years), R(jm), R(js), w, R(a), R(b)));
        }

        var corr = new double[returns.Count][];
        for (int i = 0; i < returns.Count; i++)
        {
            corr[i] = new double[returns.Count];
            for (int j = 0; j < returns.Count; j++)
            {
                corr[i][j] = i == j ? 1 : R(Correlation(returns[i], returns[j], jump));
            }
        }

        return new CalibrationResult(cal, corr, n);
    }

    private static (double Omega, double Alpha, double Beta) FitGarch(double[] r)
    {
        double mean = r.Average();
        double[] e = [.. r.Select(x => x - mean)];
        double v = e.Sum(x => x * x) / e.Length;
        (double, double, double) best = (v * 0.05, 0.05, 0.9);
        double bestLl = double.NegativeInfinity;
        for (double a = 0.02; a <= 0.3; a += 0.01)
        {
            for (double b = 0.5; a + b < 0.999; b += 0.01)
            {
                double w = v * (1 - a - b);
                double h = v, ll = 0;
                foreach (double x in e)
                {
                    ll -= Math.Log(h) + (x * x / h);
                    h = w + (a * x * x) + (b * h);
                }

                if (ll > bestLl)
                {
                    bestLl = ll;
                    best = (w, a, b);
                }
            }
        }

        return best;
    }

    private static double Correlation(double[] x, double[] y, bool[] skip)
    {
        double mx = x.Where((_, i) => !skip[i]).Average(), my = y.Where((_, i) => !skip[i]).Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (skip[i])
            {
                continue;
            }

            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Closes by open time, from a validated candle file (the same rules as a historical replay).</summary>
    private static Dictionary<long, double> Load(string file)
    {
        CandleSeries c = CandleSeries.Load(file);
        var d = new Dictionary<long, double>(c.Count);
        for (int i = 0; i < c.Count; i++)
        {
            d[c.Times[i]] = c.Closes[i];
        }

        return d;
    }

    private static double Median(double[] v)
    {
        double[] s = [.. v];
        Array.Sort(s);
        return s[s.Length / 2];
    }

    private static double R(double x) => Math.Round(x, 6);
}
