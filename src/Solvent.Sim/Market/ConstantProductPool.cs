namespace Solvent.Sim.Market;

/// <summary>
/// An x·y = k pool of one asset against USD, where keepers sell seized collateral and buy debt assets.
/// Outside trades are not modelled; arbitrage pulls the pool back toward the reference price, closing a
/// share 1 − 2^(−Δt/half-life) of the log gap every step, so a cascade's impact decays instead of sticking.
/// A null pool (no depth configured) is infinite liquidity: trades at the reference price, no impact.
/// </summary>
internal sealed class ConstantProductPool
{
    private readonly double _k;
    private readonly double _halfLife;
    private double _impact = 1;
    private double _ref;

    public ConstantProductPool(double depthUsd, double halfLifeSeconds, double price)
    {
        // depthUsd of USD and depthUsd/price of the asset.
        _k = depthUsd * depthUsd / price;
        _halfLife = halfLifeSeconds;
        _ref = price;
    }

    /// <summary>Pool price in USD.</summary>
    public double Price => _ref * _impact;

    /// <summary>New reference price; arbitrage closes part of the gap over <paramref name="seconds"/>.</summary>
    public void Step(double reference, double seconds)
    {
        _ref = reference;
        double keep = _halfLife <= 0 ? 0 : Math.Pow(0.5, seconds / _halfLife);
        _impact = Math.Exp(Math.Log(_impact) * keep);
    }

    /// <summary>Sells <paramref name="amount"/> whole units; returns USD received and moves the price.</summary>
    public double Sell(double amount)
    {
        double usd = Quote(amount);
        double x = Math.Sqrt(_k / Price) + amount;
        _impact = _k / (x * x) / _ref;
        return usd;
    }

    /// <summary>USD a sale of <paramref name="amount"/> would bring, without trading.</summary>
    public double Quote(double amount)
    {
        double p = Price;
        double x = Math.Sqrt(_k / p), y = Math.Sqrt(_k * p);
        return y - (_k / (x + amount));
    }

    /// <summary>Buys <paramref name="amount"/> whole units; returns USD paid (infinite if the pool cannot supply it).</summary>
    public double Buy(double amount)
    {
        double p = Price;
        double x = Math.Sqrt(_k / p), y = Math.Sqrt(_k * p);
        if (amount >= x * 0.999)
        {
            return double.PositiveInfinity;
        }

        double x2 = x - amount;
        _impact = _k / (x2 * x2) / _ref;
        return (_k / x2) - y;
    }
}
