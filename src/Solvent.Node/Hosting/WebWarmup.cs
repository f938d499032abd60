using System.Diagnostics;

namespace Solvent.Node.Hosting;

/// <summary>
/// Asks the node, over its own loopback listener, for what the web app's first page and the account page
/// read, once, right after it starts listening. The first request to each endpoint otherwise pays for the
/// JIT of its handler, serializer and view code (about a second in all, measured as the web app's cold first
/// render), and that would fall on the first person to open the page. Nothing here writes: only GETs.
/// </summary>
public static class WebWarmup
{
    /// <summary>The reads the app makes before its first meaningful render and when an account is shown.</summary>
    public static IReadOnlyList<string> Paths(NodeRuntime node)
    {
        string asset = node.Genesis.Assets.Count > 0 ? node.Genesis.Assets[0].Symbol : "USDC";
        string market = node.Genesis.Markets.Count > 0 ? node.Genesis.Markets[0].Symbol : "";
        string who = node.Dev is { Users.Count: > 0 } dev ? dev.Users[0].Signer.Address.ToString() : "0x0000000000000000000000000000000000000001";
        var list = new List<string>
        {
            "/app/", "/app/app.js", "/app/app.css", "/v1/health", "/v1/dev/keys", "/v1/assets", "/v1/markets",
            "/v1/liquidatable", "/v1/eip712", "/v1/web/oracles", "/v1/settlement/chains", "/v1/web/reports",
            "/v1/web/events?kind=liquidation&limit=20", $"/v1/web/charts/rate-curve/{asset}", "/v1/web/charts/insurance",
            $"/v1/accounts/{who}", $"/v1/accounts/{who}/0", $"/v1/accounts/{who}/0/history?limit=50",
            $"/v1/whatif/{who}/0?asset={asset}&price=1",
        };
        if (market.Length > 0)
        {
            list.Add($"/v1/whatif/{who}/0/position?market={market}&size=0.001");
        }

        return list;
    }

    /// <summary>The loopback form of a listening address (a wildcard host is asked on 127.0.0.1).</summary>
    public static string Loopback(string url)
    {
        var u = new UriBuilder(url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (u.Host is "0.0.0.0" or "[::]" or "::" or "localhost")
        {
            u.Host = "127.0.0.1";
        }

        return u.Uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Requests every path in <see cref="Paths"/> from <paramref name="baseUrl"/> in turn; failures are ignored (a warm-up must never stop a node).</summary>
    public static async Task<TimeSpan> RunAsync(string baseUrl, NodeRuntime node, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        foreach (string path in Paths(node))
        {
            try
            {
                using HttpResponseMessage r = await http.GetAsync(path, ct).ConfigureAwait(false);
                await r.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        return sw.Elapsed;
    }
}
