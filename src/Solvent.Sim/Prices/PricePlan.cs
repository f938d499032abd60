using System.Globalization;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Prices;

/// <summary>
/// Generates reference price paths (what the wider market would trade at without our liquidations) for
/// every market asset: historical candle replay, GBM with jumps, GARCH(1,1) (both with correlated shocks
/// through a Cholesky factor), a linear ramp, or flat; then an optional volatility multiplier (scales each
/// log-return) and an instantaneous shock. Candle files are read once per plan; paths are pure functions of
/// the generator they are given, so a path seed reproduces its prices.
/// </summary>
internal sealed class PricePlan
{
    /// <summary>Lowest reference price (USD): 100 engine price units, so a price still has two significant digits.</summary>
    public const double MinPriceUsd = 1e-6;

    /// <summary>Highest reference price (USD): a tenth of the engine's largest price, leaving room for pool and oracle moves.</summary>
    public const double MaxPriceUsd = Solvent.Core.Risk.LiquidationPriceSearch.MaxPrice / 1e8 / 10;

    private const double SecondsPerYear = 365.0 * 86_400;
    private readonly PriceSpec _spec;
    private readonly IReadOnlyList<string> _symbols;
    private readonly int[] _modelled;
    private readonly double[] _initial;
    private readonly CandleSeries[] _candles;
    private readonly double[,]? _chol;

    /// <param name="spec">Price section.</param>
    /// <param name="symbols">Market assets, in market-asset order.</param>
    /// <param name="initial">Start prices (USD) in the same order.</param>
    public PricePlan(PriceSpec spec, IReadOnlyList<string> symbols, double[] initial)
    {
        _spec = spec;
        _symbols = symbols;
        _initial = initial;
        _modelled = spec.Assets.Select(a => IndexOf(symbols, a.Symbol)).ToArray();
        _candles = spec.Model == "historical" ? spec.Assets.Select(a => a.Candles ?? CandleSeries.Load(a.File!)).ToArray() : [];
        _chol = spec.Correlation is { } c ? Cholesky.Factor(c) : null;
    }

    public PriceSpec Spec => _spec;

    /// <summary>
    /// Fills <paramref name="into"/>[asset][step] for steps 0..<paramref name="steps"/>. The first
    /// <paramref name="burnSteps"/> are a burn-in: the model's own path (the history before the start for a
    /// replay, the diffusion and jumps for GBM and GARCH, flat for a ramp), untouched by the shock and the
    /// volatility multiplier, which act on the measured window after it (relative to its first price).
    /// </summary>
    public void Generate(Random rng, int steps, long stepSeconds, double[][] into, double shock, double volMultiplier, int burnSteps = 0)
    {
        for (int a = 0; a < into.Length; a++)
        {
            Array.Fill(into[a], _initial[a], 0, steps + 1);
        }

        switch (_spec.Model)
        {
            case "historical":
                Historical(steps, stepSeconds, into, burnSteps);
                break;
            case "gbm":
            case "garch":
                MonteCarlo(rng, steps, stepSeconds, into, _spec.Model == "garch");
                break;
            case "ramp":
                foreach (int a in Targets(into.Length))
                {
                    for (int s = 0; s <= steps; s++)
                    {
                        into[a][s] = _initial[a] * (1 + (_spec.RampMove * Math.Max(0, s - burnSteps) / (steps - burnSteps)));
                    }
                }

                break;
        }

        CheckRange(into, steps, stepSeconds);
        if (volMultiplier != 1)
        {
            foreach (int a in Targets(into.Length))
            {
                double from = burnSteps == 0 ? _initial[a] : into[a][burnSteps];
                for (int s = burnSteps + 1; s <= steps; s++)
                {
                    into[a][s] = from * Math.Exp(volMultiplier * Math.Log(into[a][s] / from));
                }
            }
        }

        if (shock > 0)
        {
            int from = (int)Math.Min(steps, burnSteps + Math.Max(1, _spec.ShockAtSeconds / stepSeconds));
            foreach (int a in Targets(into.Length))
            {
                for (int s = from; s <= steps; s++)
                {
                    into[a][s] *= 1 - shock;
                }
            }
        }

        // A stress (multiplier, shock) is asked for: where it drives a price past the engine's range it saturates there.
        foreach (int a in Targets(into.Length))
        {
            for (int s = 0; s <= steps; s++)
            {
                into[a][s] = Math.Clamp(into[a][s], MinPriceUsd, MaxPriceUsd);
            }
        }
    }

    /// <summary>
    /// The model's own path must stay where the engine can price it; a path leaving that range is bad input
    /// (a candle file in other units, parameters that explode), refused rather than clamped into a fiction.
    /// </summary>
    private void CheckRange(double[][] into, int steps, long stepSeconds)
    {
        foreach (int a in Targets(into.Length))
        {
            for (int s = 0; s <= steps; s++)
            {
                double x = into[a][s];
                if (!(x is >= MinPriceUsd and <= MaxPriceUsd))
                {
                    int k = Array.IndexOf(_modelled, a);
                    string source = k >= 0 && _spec.Assets[k].File is { } f ? $"the candles of {f}" : $"the {_spec.Model} model's parameters";
                    throw new ScenarioException(
                        "$.prices",
                        string.Create(CultureInfo.InvariantCulture, $"{_symbols[a]} at +{s * stepSeconds} s would be {x:G4} USD, outside the {MinPriceUsd:G}–{MaxPriceUsd:G} USD the engine prices; check {source}"));
                }
            }
        }
    }

    /// <summary>Assets the model moves: the listed ones, or every non-stable asset for ramp and flat models without a list.</summary>
    private IEnumerable<int> Targets(int count)
    {
        if (_spec.Assets.Count > 0)
        {
            return _modelled.Where(i => i >= 0);
        }

        return Enumerable.Range(0, count).Where(a => Math.Abs(_initial[a] - 1) > 0.05);
    }

    private void Historical(int steps, long stepSeconds, double[][] into, int burnSteps)
    {
        for (int k = 0; k < _modelled.Length; k++)
        {
            int a = _modelled[k];
            if (a < 0)
            {
                continue;
            }

            CandleSeries c = _candles[k];
            long start = (_spec.Start > 0 ? _spec.Start : c.First) - (burnSteps * stepSeconds);
            double p0 = c.At(start);
            for (int s = 0; s <= steps; s++)
            {
                into[a][s] = _initial[a] * c.At(start + (s * stepSeconds)) / p0;
            }
        }
    }

    /// <summary>
    /// GBM or GARCH with jumps, consistent with the interval the parameters were fitted on (the calibration
    /// interval, an hour by default): each interval's log-return is drawn whole (correlated diffusion, the
    /// asset's own jumps, market-wide jumps every asset takes in the same direction), and steps shorter than
    /// the interval that divide it are a Brownian bridge between the interval's end points, so an hourly jump
    /// is spread over its hour instead of landing in one block. Steps longer than the interval (or that do not
    /// divide it) draw Poisson jump counts for their own length.
    /// </summary>
    private void MonteCarlo(Random rng, int steps, long stepSeconds, double[][] into, bool garch)
    {
        int n = _modelled.Length;
        long cal = Math.Max(1, _spec.CalibrationSeconds);
        int m = stepSeconds < cal && cal % stepSeconds == 0 ? (int)(cal / stepSeconds) : 1;
        double seconds = stepSeconds * (double)m;
        double dt = seconds / SecondsPerYear;
        double hours = seconds / 3600.0;
        Span<double> eps = stackalloc double[n];
        Span<double> z = stackalloc double[n];
        Span<double> logp = stackalloc double[n];
        Span<double> hourVar = stackalloc double[n];
        Span<double> total = stackalloc double[n];
        Span<double> sd = stackalloc double[n];
        Span<double> noiseMean = stackalloc double[n];
        double[] noise = new double[m * n];
        for (int k = 0; k < n; k++)
        {
            AssetPriceSpec a = _spec.Assets[k];
            logp[k] = _modelled[k] >= 0 ? Math.Log(_initial[_modelled[k]]) : 0;
            hourVar[k] = a.GarchOmega / Math.Max(1e-12, 1 - a.GarchAlpha - a.GarchBeta);
        }

        // Excitation κ per jump so that one jump triggers JumpExcitation further jumps on average:
        // κ · (base rate of all jumps) · (mean lifetime of the excitation) = branching ratio.
        double baseRate = _spec.CommonJumpIntensity;
        foreach (AssetPriceSpec a in _spec.Assets)
        {
            baseRate += a.JumpIntensity;
        }

        baseRate *= 1 - _spec.JumpExcitation;
        double lifetime = _spec.JumpExcitationHalfLifeSeconds / Math.Log(2) / SecondsPerYear;
        double kappa = _spec.JumpExcitation > 0 && baseRate > 0 ? _spec.JumpExcitation / (baseRate * lifetime) : 0;
        double decay = Math.Pow(0.5, seconds / _spec.JumpExcitationHalfLifeSeconds);
        double excitation = 0;

        for (int first = 1; first <= steps; first += m)
        {
            Correlated(rng, eps, z);
            // Hawkes clustering: each jump raises every jump rate, decaying with the half-life.
            double rate = (1 - _spec.JumpExcitation) * (1 + excitation);
            excitation *= decay;
            int jumps = 0;
            int common = Poisson(rng, _spec.CommonJumpIntensity * dt * rate);
            jumps += common;
            for (int k = 0; k < n; k++)
            {
                AssetPriceSpec a = _spec.Assets[k];
                double v = garch ? hourVar[k] * hours : a.Sigma * a.Sigma * dt;
                sd[k] = Math.Sqrt(v);
                total[k] = (garch ? 0 : (a.Mu - (0.5 * a.Sigma * a.Sigma)) * dt) + (sd[k] * z[k]);
                for (int j = Poisson(rng, a.JumpIntensity * dt * rate); j > 0; j--)
                {
                    jumps++;
                    total[k] += OwnJump(rng, a);
                }
            }

            // A market-wide jump: one direction and one exponential draw for every asset, each at its own scale.
            for (int j = 0; j < common; j++)
            {
                bool up = rng.NextDouble() < _spec.CommonJumpUpProbability;
                double u = -Math.Log(1 - rng.NextDouble());
                for (int k = 0; k < n; k++)
                {
                    AssetPriceSpec a = _spec.Assets[k];
                    if (a.DoubleExponential)
                    {
                        double size = a.JumpMinimum + (u * (up ? a.JumpUpMean : a.JumpDownMean));
                        total[k] += up ? size : -size;
                    }
                }
            }

            excitation += kappa * jumps;
            if (garch)
            {
                // GARCH(1,1) in hourly units, updated once per interval from its diffusion return (per hour): the
                // calibration fits it with the jump hours taken out.
                for (int k = 0; k < n; k++)
                {
                    AssetPriceSpec a = _spec.Assets[k];
                    double r = sd[k] * z[k];
                    hourVar[k] = a.GarchOmega + (a.GarchAlpha * r * r / hours) + (a.GarchBeta * hourVar[k]);
                }
            }

            if (m == 1)
            {
                Write(into, first, logp, total);
                continue;
            }

            // Brownian bridge: sub-step increments e_j − mean(e) + total/m sum to the interval's return, with
            // the diffusion's correlation and variance inside the interval.
            noiseMean.Clear();
            for (int j = 0; j < m; j++)
            {
                Correlated(rng, eps, z);
                for (int k = 0; k < n; k++)
                {
                    double e = sd[k] * z[k] / Math.Sqrt(m);
                    noise[(j * n) + k] = e;
                    noiseMean[k] += e / m;
                }
            }

            for (int j = 0; j < m && first + j <= steps; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    z[k] = noise[(j * n) + k] - noiseMean[k] + (total[k] / m);
                }

                Write(into, first + j, logp, z);
            }
        }
    }

    private void Write(double[][] into, int step, Span<double> logp, ReadOnlySpan<double> r)
    {
        for (int k = 0; k < logp.Length; k++)
        {
            logp[k] += r[k];
            if (_modelled[k] >= 0)
            {
                into[_modelled[k]][step] = Math.Exp(logp[k]);
            }
        }
    }

    /// <summary>Standard normals with the scenario's correlation (Cholesky factor) in <paramref name="z"/>.</summary>
    private void Correlated(Random rng, Span<double> eps, Span<double> z)
    {
        for (int k = 0; k < eps.Length; k++)
        {
            eps[k] = Gaussian.Next(rng);
        }

        for (int i = 0; i < eps.Length; i++)
        {
            double v = eps[i];
            if (_chol is { } l)
            {
                v = 0;
                for (int j = 0; j <= i; j++)
                {
                    v += l[i, j] * eps[j];
                }
            }

            z[i] = v;
        }
    }

    /// <summary>One of the asset's own jumps (log): double-exponential beyond the threshold, or normal.</summary>
    private static double OwnJump(Random rng, AssetPriceSpec a)
    {
        if (!a.DoubleExponential)
        {
            return a.JumpMean + (a.JumpStd * Gaussian.Next(rng));
        }

        bool up = rng.NextDouble() < a.JumpUpProbability;
        double size = a.JumpMinimum + (-Math.Log(1 - rng.NextDouble()) * (up ? a.JumpUpMean : a.JumpDownMean));
        return up ? size : -size;
    }

    /// <summary>Poisson count by inversion (means here are small: intensity × one interval); capped so a huge mean cannot spin.</summary>
    internal static int Poisson(Random rng, double mean)
    {
        if (!(mean > 0))
        {
            return 0;
        }

        double u = rng.NextDouble(), p = Math.Exp(-mean), c = p;
        int k = 0;
        while (u > c && k < 1000)
        {
            k++;
            p *= mean / k;
            c += p;
        }

        return k;
    }

    private static int IndexOf(IReadOnlyList<string> symbols, string s)
    {
        for (int i = 0; i < symbols.Count; i++)
        {
            if (string.Equals(symbols[i], s, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
