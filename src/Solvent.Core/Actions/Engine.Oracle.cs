using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Oracle;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// Oracle actions (publisher reports, governance resume) and the guards that keep risk-increasing
/// actions off stale, flagged or paused feeds. Signatures were verified before Core: the signer is the
/// recovered publisher address.
/// </summary>
public sealed partial class Engine
{
    /// <summary>The oracle feed of an asset, or null when governance prices it.</summary>
    public OracleFeed? FeedOf(int asset) => ValidAsset(asset) ? _feeds[asset] : null;

    /// <summary>Whether risk-increasing actions may rely on the asset's price now (governance-priced assets always may).</summary>
    public bool IsFeedHealthy(int asset) => _feeds[asset] is not { } f || f.IsHealthy(Time);

    private ActionResult ApplyPriceReport(PriceReport r)
    {
        if (!ValidAsset(r.Feed) || _feeds[r.Feed] is not { } f)
        {
            return Reject(ErrorCode.UnknownFeed, $"asset {r.Feed} has no oracle feed");
        }

        if (CheckReport(f, r.Signer, r.PublishTime, f.ReportTime, out int slot) is { } rejected)
        {
            return rejected;
        }

        if (r.Price <= 0 || r.Price > long.MaxValue / 1000)
        {
            return Reject(ErrorCode.InvalidPrice, "price must be positive and finite");
        }

        // conf / price > maxConfidence, compared without division.
        if (r.Confidence < 0 || (Int128)r.Confidence * Precision.Ppm > (Int128)r.Price * f.Config.MaxConfidence)
        {
            return Reject(ErrorCode.ConfidenceTooWide, $"confidence {DecimalString.Format(r.Confidence, Precision.PriceDecimals)} is wider than {DecimalString.Format(f.Config.MaxConfidence, 6)} of the price");
        }

        f.ReportPrice[slot] = r.Price;
        f.ReportConfidence[slot] = r.Confidence;
        f.ReportTime[slot] = r.PublishTime;
        f.PricePending = true;
        return Done();
    }

    private ActionResult ApplyVolatilityReport(VolatilityReport r)
    {
        if (!ValidAsset(r.Feed) || _feeds[r.Feed] is not { } f)
        {
            return Reject(ErrorCode.UnknownFeed, $"asset {r.Feed} has no oracle feed");
        }

        if (CheckReport(f, r.Signer, r.PublishTime, f.VolatilityReportTime, out int slot) is { } rejected)
        {
            return rejected;
        }

        if (r.Volatility <= 0 || r.Volatility > 20 * Precision.Ppm)
        {
            return Reject(ErrorCode.InvalidParameter, "implied volatility must be in (0, 20] (annualized, ppm)");
        }

        f.VolatilityReport[slot] = r.Volatility;
        f.VolatilityReportTime[slot] = r.PublishTime;
        f.VolatilityPending = true;
        return Done();
    }

    private ActionResult? CheckReport(OracleFeed f, Address signer, long publishTime, long[] lastTimes, out int slot)
    {
        slot = f.SlotOf(signer);
        if (slot < 0)
        {
            return Reject(ErrorCode.UnknownPublisher, $"{signer} does not publish {Sym(f.Config.Asset)}");
        }

        if (publishTime > Time)
        {
            return Reject(ErrorCode.ReportFromFuture, $"publish time {publishTime} is after the block time {Time}");
        }

        if (publishTime <= lastTimes[slot])
        {
            return Reject(ErrorCode.ReportOutOfOrder, $"publish time {publishTime} is not after this publisher's last report at {lastTimes[slot]}");
        }

        if (Time - publishTime > f.Config.MaxAge)
        {
            return Reject(ErrorCode.ReportStale, $"report is {Time - publishTime} s old, more than the feed's {f.Config.MaxAge} s");
        }

        return null;
    }

    private ActionResult ApplyResumeFeed(ResumeOracleFeed r)
    {
        if (r.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may resume a feed");
        }

        if (!ValidAsset(r.Feed) || _feeds[r.Feed] is not { } f)
        {
            return Reject(ErrorCode.UnknownFeed, $"asset {r.Feed} has no oracle feed");
        }

        if (f.Status != FeedStatus.Paused)
        {
            return Reject(ErrorCode.InvalidParameter, $"the {Sym(r.Feed)} feed is not paused");
        }

        f.Status = FeedStatus.Resuming;
        _events.Add(new OracleFeedResumed(r.Feed));
        return Done();
    }

    /// <summary>An asset with an unhealthy feed that the account holds (balance or position on it), or -1.</summary>
    private int UnhealthyExposure(int id)
    {
        foreach (int a in _oracleAssets)
        {
            if (!_feeds[a]!.IsHealthy(Time) && IsExposed(id, a))
            {
                return a;
            }
        }

        return -1;
    }

    /// <summary>Whether the account holds a balance in the asset or a position in a market on it.</summary>
    private bool IsExposed(int id, int asset)
    {
        if (id < 0)
        {
            return false;
        }

        if (Accounts.Scaled(id, asset) != 0)
        {
            return true;
        }

        ReadOnlySpan<long> sizes = Accounts.Sizes(id);
        for (int m = 0; m < _markets.Length; m++)
        {
            if (_markets[m].Config.BaseAsset == asset && sizes[m] != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Rejects a risk-increasing action in <paramref name="asset"/> or by an account exposed to an unavailable feed.</summary>
    private ActionResult? RequireFeeds(int id, int asset)
    {
        if (_oracleAssets.Length == 0)
        {
            return null;
        }

        if (!IsFeedHealthy(asset))
        {
            return Reject(ErrorCode.OracleUnavailable, $"the {Sym(asset)} feed is {FeedState(asset)}: risk-increasing actions wait for a fresh aggregate");
        }

        int u = UnhealthyExposure(id);
        return u < 0 ? null : Reject(ErrorCode.OracleUnavailable, $"the account holds {Sym(u)}, whose feed is {FeedState(u)}: risk-increasing actions wait for a fresh aggregate");
    }

    /// <summary>
    /// For an account exposed to unavailable feeds, initial health must hold at both ends of each such feed's
    /// band (last price ± the feed's maximum move) with <paramref name="asset"/>'s balance replaced by
    /// <paramref name="newScaled"/>.
    /// </summary>
    private ActionResult? RequireConservativeHealth(int id, int asset, long newScaled)
    {
        foreach (int a in _oracleAssets)
        {
            OracleFeed f = _feeds[a]!;
            if (f.IsHealthy(Time) || !IsExposed(id, a))
            {
                continue;
            }

            AssetPool p = _pools[a];
            long saved = p.Price, savedAsset = p.InitialAssetPrice, savedLiability = p.InitialLiabilityPrice;
            long band = FullMath.MulDiv(saved, f.Config.MaxMove, Precision.Ppm, Rounding.Up);
            try
            {
                foreach (long probe in (ReadOnlySpan<long>)[System.Math.Max(1, saved - band), checked(saved + band)])
                {
                    p.Price = probe;
                    p.SetInitialPrices(System.Math.Min(probe, savedAsset), System.Math.Max(probe, savedLiability));
                    Risk.Health h = WhatIf(id, asset, newScaled);
                    if (h.InitialHealth < 0)
                    {
                        return Reject(ErrorCode.ConservativeHealthViolated, $"the {Sym(a)} feed is {FeedState(a)}; at {DecimalString.Format(probe, Precision.PriceDecimals)} initial health would be {DecimalString.Format(h.InitialHealth, Precision.ValueDecimals)} USD");
                    }
                }
            }
            finally
            {
                p.Price = saved;
                p.SetInitialPrices(savedAsset, savedLiability);
            }
        }

        return null;
    }

    private string FeedState(int asset) => _feeds[asset] is not { } f ? "governance-priced"
        : f.Status != FeedStatus.Ok ? f.Status.ToString().ToLowerInvariant()
        : f.IsStale(Time) ? "stale" : "ok";
}
