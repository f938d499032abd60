using Solvent.Core;
using Solvent.Core.Eval;
using Solvent.Core.Math;
using Solvent.Core.Oracle;

namespace Solvent.Node.Web;

/// <summary>One publisher's latest report to a feed (null figures: nothing reported yet).</summary>
public sealed record PublisherView(string Address, Amount? Price, Amount? Confidence, long? PublishTime);

/// <summary>
/// How one asset is priced: by governance (no feed), or by a publisher feed with its status (ok, flagged,
/// paused, resuming, stale), last aggregate, quorum and each publisher's latest report.
/// </summary>
public sealed record OracleFeedView(string Asset, string Source, string Status, Amount Price, long? AggregateTime, int? Quorum, int? RequiredReports, long? MaxAge, Amount? Twap, IReadOnlyList<PublisherView> Publishers);

/// <summary>The feeds of every asset at one height.</summary>
public sealed record OracleFeedsResponse(long Height, long Time, IReadOnlyList<OracleFeedView> Feeds);

/// <summary>Reads the oracle feeds for the web app's panel (on the sequencer thread, between blocks).</summary>
public static class OracleFeeds
{
    /// <summary>The feeds of <paramref name="e"/>; the status words are the ones <c>solvent eval</c> prints.</summary>
    public static OracleFeedsResponse Of(Engine e)
    {
        (List<AssetParameters> parameters, _) = EvalReport.Parameters(e);
        var feeds = new OracleFeedView[e.Pools.Length];
        for (int a = 0; a < feeds.Length; a++)
        {
            OracleFeed? f = e.FeedOf(a);
            AssetParameters p = parameters[a];
            feeds[a] = f is null
                ? new OracleFeedView(p.Asset, p.PriceSource, p.FeedStatus, p.Price, null, null, null, null, null, [])
                : new OracleFeedView(
                    p.Asset,
                    p.PriceSource,
                    p.FeedStatus,
                    p.Price,
                    f.AggregateTime,
                    f.Config.Quorum,
                    f.Config.RequiredReports,
                    f.Config.MaxAge,
                    p.Twap,
                    [.. f.Config.Publishers.Select((pub, i) => f.ReportTime[i] == 0
                        ? new PublisherView(pub.ToString(), null, null, null)
                        : new PublisherView(pub.ToString(), Amount.Of(f.ReportPrice[i], Precision.PriceDecimals), Amount.Of(f.ReportConfidence[i], Precision.PriceDecimals), f.ReportTime[i]))]);
        }

        return new OracleFeedsResponse(e.Height, e.Time, feeds);
    }
}
