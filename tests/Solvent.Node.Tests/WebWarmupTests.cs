using Solvent.Node.Hosting;

namespace Solvent.Node.Tests;

/// <summary>The start-up warm-up asks for real endpoints (a typo would warm a 404 page and nothing else) and only reads.</summary>
public class WebWarmupTests
{
    [Fact]
    public async Task Every_warmed_path_is_served_and_the_state_root_does_not_move()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        string root = await n.StateRootAsync();
        IReadOnlyList<string> paths = WebWarmup.Paths(n.Node);
        Assert.Contains("/app/", paths);
        foreach (string path in paths)
        {
            using HttpResponseMessage r = await n.Http.GetAsync(path);
            int status = (int)r.StatusCode;
            string body = await r.Content.ReadAsStringAsync();
            // A fresh test node has no demo subaccount and no settlement section: those handlers answer 404 with their
            // own error; an unrouted path gets the status-code page's "GET /path -> 404" instead.
            bool handled = status is 404 or 400
                && System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString() is { } message
                && !message.EndsWith($" -> {status}", StringComparison.Ordinal);
            Assert.True(status == 200 || handled, $"{path}: {status} {body}");
        }

        Assert.Equal(root, await n.StateRootAsync());
    }

    [Theory]
    [InlineData("http://0.0.0.0:8645", "http://127.0.0.1:8645")]
    [InlineData("http://[::]:8645", "http://127.0.0.1:8645")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234")]
    [InlineData("http://+:80", "http://127.0.0.1")]
    [InlineData("https://10.1.2.3:8443", "https://10.1.2.3:8443")]
    public void A_wildcard_listening_address_is_asked_on_loopback(string listening, string asked) =>
        Assert.Equal(asked, WebWarmup.Loopback(listening));
}
