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

    /// <summary>Fills <paramref name="into"/>[asset][step] for steps 0..<paramref name="steps"/>.</summary>
    public void Generate(Random rng, int steps, long stepSeconds, double[][] into, double shock, double volMultiplier)
    {
        for (int a = 0; a < into.Length; a++)
        {
            Array.Fill(into[a], _initial[a], 0, steps + 1);
        }

        switch (_spec.Model)
        {
            case "historical":
                Historical(steps, stepSeconds, into);
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
                        into[a][s] = _initial[a] * (1 + (_spec.RampMove * s / steps));
                    }
                }

                break;
        }

        CheckRange(into, steps, stepSeconds);
        if (volMultiplier != 1)
        {
            foreach (int a in Targets(into.Length))
            {
                for (int s = 1; s <= steps; s++)
                {
                    into[a][s] = _initial[a] * Math.Exp(volMultiplier * Math.Log(into[a][s] / _initial[a]));
                }
            }
        }

        if (shock > 0)
        {
            int from = (int)Math.Min(steps, Math.Max(1, _spec.ShockAtSeconds / stepSeconds));
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

    private void Historical(int steps, long stepSeconds, double[][] into)
    {
        for (int k = 0; k < _modelled.Length; k++)
        {
            int a = _modelled[k];
            if (a < 0)
            {
                continue;
            }

            CandleSeries c = _candles[k];
            long start = _spec.Start > 0 ? _spec.Start : c.First;
            double p0 = c.At(start);
            for (int s = 0; s <= steps; s++)
            {
                into[a][s] = _initial[a] * c.At(start + (s * stepSeconds)) / p0;
            }
        }
    }

    private void MonteCarlo(Random rng, int steps, long stepSeconds, double[][] into, bool garch)
    {
        int n = _modelled.Length;
        double dt = stepSeconds / SecondsPerYear;
        double hours = stepSeconds / 3600.0;
        Span<double> eps = stackalloc double[n];
        Span<double> z = stackalloc double[n];
        Span<double> logp = stackalloc double[n];
        Span<double> hourVar = stackalloc double[n];
        Span<double> hourRet = stackalloc double[n];
        for (int k = 0; k < n; k++)
        {
            AssetPriceSpec a = _spec.Assets[k];
            logp[k] = _modelled[k] >= 0 ? Math.Log(_initial[_modelled[k]]) : 0;
            hourVar[k] = a.GarchOmega / Math.Max(1e-12, 1 - a.GarchAlpha - a.GarchBeta);
        }

        int stepsPerHour = Math.Max(1, (int)Math.Round(3600.0 / stepSeconds));
        for (int s = 1; s <= steps; s++)
        {
            for (int k = 0; k < n; k++)
            {
                eps[k] = Gaussian.Next(rng);
            }

            for (int i = 0; i < n; i++)
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

            for (int k = 0; k < n; k++)
            {
                AssetPriceSpec a = _spec.Assets[k];
                double r;
                if (garch)
                {
                    // GARCH(1,1) in hourly units; the variance updates once per simulated hour from that hour's return.
                    r = Math.Sqrt(hourVar[k] * hours) * z[k];
                    hourRet[k] += r;
                    if (s % stepsPerHour == 0)
                    {
                        hourVar[k] = a.GarchOmega + (a.GarchAlpha * hourRet[k] * hourRet[k]) + (a.GarchBeta * hourVar[k]);
                        hourRet[k] = 0;
                    }
                }
                else
                {
                    r = ((a.Mu - (0.5 * a.Sigma * a.Sigma)) * dt) + (a.Sigma * Math.Sqrt(dt) * z[k]);
                }

                // Merton jumps: Bernoulli per step (intensity per year × dt is small), normal size in log.
                if (a.JumpIntensity > 0 && rng.NextDouble() < a.JumpIntensity * dt)
                {
                    r += a.JumpMean + (a.JumpStd * Gaussian.Next(rng));
                }

                logp[k] += r;
                if (_modelled[k] >= 0)
                {
                    into[_modelled[k]][s] = Math.Exp(logp[k]);
                }
            }
        }
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
