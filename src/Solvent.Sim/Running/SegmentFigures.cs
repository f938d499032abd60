namespace Solvent.Sim.Running;

/// <summary>What one lending asset or one perp market of one venue did on one path (USD at the engine's prices when it happened).</summary>
internal sealed class SegmentFigures
{
    /// <summary>Lending: the asset's debt at the start. Market: open interest at the start (notional).</summary>
    public double BookUsd;

    /// <summary>Lending: the asset's supply (collateral) at the start, the base liquidations are measured against. Market: as <see cref="BookUsd"/>.</summary>
    public double CollateralUsd;

    /// <summary>Lending: debt of this asset written off (<c>BadDebtRealized</c>). Market: backstop shortfalls. Both plus this segment's share of the negative equity left underwater at the end.</summary>
    public double BadDebtUsd;

    /// <summary>The part of <see cref="BadDebtUsd"/> that is negative equity still underwater at the end.</summary>
    public double UnderwaterUsd;

    /// <summary>Lending: value of this asset seized as collateral. Market: notional liquidated or taken over by the backstop.</summary>
    public double LiquidationVolumeUsd;

    /// <summary>What this segment's insurance fund paid toward its bad debt.</summary>
    public double InsurancePaidUsd;

    /// <summary>Lending: loss spread over the asset's suppliers (<c>LossSocialized</c>).</summary>
    public double SocializedUsd;

    /// <summary>Market: notional auto-deleveraged.</summary>
    public double AdlVolumeUsd;

    /// <summary>Market: the part of backstop shortfalls the fund did not pay, which the deleveraged positions absorbed.</summary>
    public double AdlLossUsd;

    /// <summary>Market: the vAMM's inventory PnL over the path (filled by the market model; 0 where it does not).</summary>
    public double AmmInventoryPnlUsd;

    /// <summary>Market: funding paid by traders over the path (filled by the market model; 0 where it does not).</summary>
    public double FundingPaidUsd;
}

/// <summary>One segment's figures on one path, named for reports.</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="Symbol">Asset or market symbol.</param>
/// <param name="IsMarket">A perp market (else a lending asset).</param>
/// <param name="Figures">The figures.</param>
internal sealed record PathSegment(string Venue, string Symbol, bool IsMarket, SegmentFigures Figures);
