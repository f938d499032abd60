namespace Solvent.Sim.Running;

/// <summary>
/// Whether a path exhausted the insurance funds: at the end of the path, every fund (per asset and per
/// market, all venues, by USD value) minus the bad debt no fund paid — realized bad debt beyond what the
/// funds covered (socialized losses, uncovered backstop shortfalls) and the negative equity of accounts
/// still underwater — is below zero. A loss socialized in one pool while other funds still hold more than
/// it is reported (per pool), but is not exhaustion: the protocol as a whole still had the money.
/// </summary>
public static class Exhaustion
{
    /// <summary>Net values within a cent of zero are rounding, not exhaustion.</summary>
    public const double ToleranceUsd = 0.01;

    /// <summary>Funds at the end net of the bad debt they did not pay (USD; negative = exhausted).</summary>
    /// <param name="insuranceEndUsd">Every fund at the end, at oracle prices.</param>
    /// <param name="realizedBadDebtUsd">Bad debt written off during the path (lending write-offs and backstop shortfalls).</param>
    /// <param name="insuranceUsedUsd">What the funds paid toward it.</param>
    /// <param name="unrealizedBadDebtUsd">Negative equity of accounts still underwater at the end.</param>
    public static double NetFundUsd(double insuranceEndUsd, double realizedBadDebtUsd, double insuranceUsedUsd, double unrealizedBadDebtUsd) =>
        insuranceEndUsd - Math.Max(0, realizedBadDebtUsd - insuranceUsedUsd) - unrealizedBadDebtUsd;

    /// <summary>Whether <paramref name="netFundUsd"/> (from <see cref="NetFundUsd"/>) means the funds ran out.</summary>
    public static bool IsExhausted(double netFundUsd) => netFundUsd < -ToleranceUsd;
}
