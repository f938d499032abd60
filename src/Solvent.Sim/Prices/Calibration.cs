namespace Solvent.Sim.Prices;

/// <summary>Calibrated Monte Carlo parameters of one asset (annualized GBM drift/vol, jumps in log terms, hourly GARCH(1,1)).</summary>
/// <param name="Symbol">Asset symbol.</param>
/// <param name="Mu">Annual drift.</param>
/// <param name="Sigma">Annual diffusion volatility (jump hours excluded).</param>
/// <param name="JumpIntensity">This asset's own (idiosyncratic) jumps per year: jump hours no other asset shares.</param>
/// <param name="JumpMean">Mean jump-hour return (log), all jump hours of the asset (informative; the sizes the model draws are the fields below).</param>
/// <param name="JumpStd">Standard deviation of those returns (log).</param>
/// <param name="GarchOmega">GARCH ω (hourly variance units).</param>
/// <param name="GarchAlpha">GARCH α.</param>
/// <param name="GarchBeta">GARCH β.</param>
/// <param name="JumpMinimum">Jump threshold (log): every jump is at least this large (5 robust standard deviations of an hour).</param>
/// <param name="JumpUpProbability">Share of the asset's jumps that go up.</param>
/// <param name="JumpUpMean">Mean excess (log) of an up jump over <paramref name="JumpMinimum"/>: exponential tail.</param>
/// <param name="JumpDownMean">Mean excess (log) of a down jump over <paramref name="JumpMinimum"/>.</param>
public sealed record AssetCalibration(
    string Symbol, double Mu, double Sigma, double JumpIntensity, double JumpMean, double JumpStd, double GarchOmega, double GarchAlpha, double GarchBeta,
    double JumpMinimum, double JumpUpProbability, double JumpUpMean, double JumpDownMean);

/// <summary>Calibration over aligned hourly series: per-asset parameters and the return correlation matrix.</summary>
/// <param name="Assets">Per asset.</param>
/// <param name="Correlation">Correlation of hourly log-returns (jump hours excluded), in asset order.</param>
/// <param name="Hours">Aligned hourly returns used.</param>
/// <param name="CalibrationSeconds">Interval the parameters describe (one candle, 3600 s): the simulator draws jumps per interval of this length and bridges shorter steps.</param>
/// <param name="CommonJumpIntensity">Market-wide jumps per year: hours in which at least two assets jumped.</param>
/// <param name="CommonJumpUpProbability">Share of those that went up (by the mean return of the jumping assets).</param>
/// <param name="JumpExcitation">Branching ratio of jump clustering: extra jump hours (any asset) in the <see cref="JumpExcitationHalfLifeSeconds"/>·2 after a jump hour, beyond the base rate; capped at 0.9.</param>
/// <param name="JumpExcitationHalfLifeSeconds">Half-life of the excitation a jump leaves (fixed at 3 hours).</param>
public sealed record CalibrationResult(
    IReadOnlyList<AssetCalibration> Assets, double[][] Correlation, int Hours, long CalibrationSeconds, double CommonJumpIntensity, double CommonJumpUpProbability,
    double JumpExcitation, long JumpExcitationHalfLifeSeconds);

/// <summary>
/// Fits the Monte Carlo models to hourly candles: hourly log-returns of closes on timestamps all series
/// share; a return beyond 5 robust standard deviations (1.4826·MAD) is a jump, the rest give the diffusion σ
/// and the correlation. An hour in which two or more assets jump is a common (market-wide) jump; the others
/// are the asset's own. Jump sizes are peaks over the threshold: the threshold plus an exponential excess,
/// fitted separately up and down (a double-exponential tail). GARCH(1,1) is fitted by Gaussian maximum
/// likelihood over a grid of (α, β) with ω from variance targeting, on the returns with jump hours taken out.
/// </summary>
public static class Calibration
{
    private const double HoursPerYear = 8760;

    // Below this the robust jump split and the GARCH likelihood grid are noise.
    private const int MinHours = 48;

    // Jump clustering is measured over two half-lives: most of a crash's follow-on hours come within six hours.
    private const int ExcitationHalfLifeHours = 3;

    /// <summary>Calibrates from (symbol, csv path) pairs.</summary>
    public static CalibrationResult Run(IReadOnlyList<(string Symbol, string File)> inputs) => Run(inputs, long.MinValue, long.MaxValue);

    /// <summary>Calibrates on the hours starting in [<paramref name="from"/>, <paramref name="to"/>) (Unix seconds): fit on one window, validate on another.</summary>
    public static CalibrationResult Run(IReadOnlyList<(string Symbol, string File)> inputs, long from, long to)
    {
        var series = inputs.Select(i => Load(i.File)).ToList();
        var common = series.Select(s => s.Keys.ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        long[] times = [.. common.Where(t => t >= from && t < to && common.Contains(t + 3600)).Order()];
        var returns = series.Select(s => times.Select(t => Math.Log(s[t + 3600] / s[t])).ToArray()).ToList();
        int n = times.Length;
        if (n < MinHours)
        {
            throw new Scenarios.ScenarioException(string.Join(", ", inputs.Select(i => i.File)), $"only {n} hourly returns on timestamps every file shares; calibration needs at least {MinHours}");
        }

        var jump = new bool[n];
        var jumpers = new int[n];
        var moveSum = new double[n];
        var cal = new List<AssetCalibration>();
        for (int k = 0; k < returns.Count; k++)
        {
            double[] r = returns[k];
            double med = Median(r);
            double mad = 1.4826 * Median([.. r.Select(x => Math.Abs(x - med))]);
            for (int i = 0; i < n; i++)
            {
                if (Math.Abs(r[i] - med) > 5 * mad)
                {
                    jump[i] = true;
                    jumpers[i]++;
                    moveSum[i] += r[i] - med;
                }
            }
        }

        double years = n / HoursPerYear;
        int commonHours = 0, commonUp = 0;
        for (int i = 0; i < n; i++)
        {
            if (returns.Count > 1 && jumpers[i] >= 2)
            {
                commonHours++;
                commonUp += moveSum[i] > 0 ? 1 : 0;
            }
        }

        for (int k = 0; k < returns.Count; k++)
        {
            double[] r = returns[k];
            double med = Median(r);
            double mad = 1.4826 * Median([.. r.Select(x => Math.Abs(x - med))]);
            double threshold = 5 * mad;
            double[] jumps = [.. r.Where(x => Math.Abs(x - med) > threshold)];
            int own = r.Where((x, i) => Math.Abs(x - med) > threshold && !(returns.Count > 1 && jumpers[i] >= 2)).Count();
            double[] up = [.. jumps.Where(x => x - med > 0).Select(x => x - med - threshold)];
            double[] down = [.. jumps.Where(x => x - med < 0).Select(x => med - x - threshold)];
            double[] normal = [.. r.Where((x, i) => !jump[i])];
            double mean = normal.Average();
            double sd = Math.Sqrt(normal.Sum(x => (x - mean) * (x - mean)) / (normal.Length - 1));
            double sigma = sd * Math.Sqrt(HoursPerYear);
            double jm = jumps.Length > 0 ? jumps.Average() : 0;
            double js = jumps.Length > 1 ? Math.Sqrt(jumps.Sum(x => (x - jm) * (x - jm)) / (jumps.Length - 1)) : 0;
            // GARCH on the diffusion: the asset's jump hours count as a median hour (jumps are drawn on top, and
            // the simulator feeds the variance only the diffusion part), so jumps are not counted twice.
            (double w, double a, double b) = FitGarch([.. r.Select(x => Math.Abs(x - med) > threshold ? med : x)]);
            double mu = (r.Average() * HoursPerYear) + (0.5 * sigma * sigma);
            cal.Add(new AssetCalibration(
                inputs[k].Symbol, R(mu), R(sigma), R(own / years), R(jm), R(js), w, R(a), R(b),
                R(threshold), R(jumps.Length > 0 ? (double)up.Length / jumps.Length : 0.5), R(up.Length > 0 ? up.Average() : 0), R(down.Length > 0 ? down.Average() : 0)));
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

        // Clustering: jump hours following a jump hour within two half-lives, beyond what the mean rate gives.
        const int window = 2 * ExcitationHalfLifeHours;
        int jumpHours = 0, following = 0;
        var jumpAt = new HashSet<long>();
        for (int i = 0; i < n; i++)
        {
            if (jump[i])
            {
                jumpAt.Add(times[i]);
            }
        }

        foreach (long t in jumpAt)
        {
            jumpHours++;
            for (int h = 1; h <= window; h++)
            {
                following += jumpAt.Contains(t + (h * 3600L)) ? 1 : 0;
            }
        }

        double excess = jumpHours > 0 ? ((double)following / jumpHours) - ((double)jumpHours / n * window) : 0;
        return new CalibrationResult(
            cal, corr, n, 3600, R(commonHours / years), R(commonHours > 0 ? (double)commonUp / commonHours : 0.5),
            R(Math.Clamp(excess, 0, 0.9)), ExcitationHalfLifeHours * 3600L);
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
