using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// Progress an upstream reports back to back, the last just before its answer, as the calling client reads it on the
/// wire: every notification, in order, under the client's token, all before the answer. (The SDK client behind the
/// gateway hands each incoming message to its handlers on its own task, which once lost or reordered some of them.)
/// </summary>
public sealed class FederatedProgressTests
{
    private const int Steps = 40;

    private CSharpUpstream _upstream = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await CSharpUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", _upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "up__progress_burst");
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Test]
    [Repeat(5)]
    public async Task BurstOfProgress_ReachesTheClient_Whole_InOrder_AndBeforeTheAnswer()
    {
        var call = McpHttp.Request(7, "tools/call", $$$"""{"name":"up__progress_burst","arguments":{"count":{{{Steps}}}},"_meta":{"progressToken":"burst-1"}}""");
        using var response = await _http.SendAsync(McpHttp.Post(_gateway.McpEndpoint, call, headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" }),
            HttpCompletionOption.ResponseHeadersRead);
        var (tokens, progress, answer) = await ReadUntilAnswerAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(tokens, Is.All.EqualTo("burst-1"));
            Assert.That((string?)answer["result"]!["content"]![0]!["text"], Is.EqualTo("reported " + Steps));
            Assert.That(progress, Is.EqualTo(Enumerable.Range(1, Steps).Select(i => (double)i)), "every step, in order, before the answer");
        });
    }

    [Test]
    public async Task ProgressCall_ToAnUpstreamThatForgotTheSession_IsSentAgainOnANewOne_WithItsProgress()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("up", upstream.Address, "{}")));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__progress_burst");
        await upstream.StopAsync();
        await upstream.StartAgainAsync();

        var call = McpHttp.Request(8, "tools/call", """{"name":"up__progress_burst","arguments":{"count":3},"_meta":{"progressToken":"again-1"}}""");
        using var response = await _http.SendAsync(McpHttp.Post(gateway.McpEndpoint, call, headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" }),
            HttpCompletionOption.ResponseHeadersRead);
        var (tokens, progress, answer) = await ReadUntilAnswerAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(tokens, Is.All.EqualTo("again-1"));
            Assert.That((string?)answer["result"]?["content"]?[0]?["text"], Is.EqualTo("reported 3"), answer.ToJsonString());
            Assert.That(progress, Is.EqualTo(new double[] { 1, 2, 3 }));
            Assert.That(upstream.Count("initialize"), Is.EqualTo(2), "a new session on the restarted upstream");
        });
    }

    /// <summary>The call's event stream up to its answer: each progress notification's token and value, in order.</summary>
    private static async Task<(List<string?> Tokens, List<double> Progress, JsonNode Answer)> ReadUntilAnswerAsync(HttpResponseMessage response)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var tokens = new List<string?>();
        var progress = new List<double>();
        while (true)
        {
            var message = JsonNode.Parse(await SseEvents.NextDataAsync(reader, timeout.Token))!;
            if ((string?)message["method"] == "notifications/progress")
            {
                tokens.Add((string?)message["params"]!["progressToken"]);
                progress.Add((double)message["params"]!["progress"]!);
            }
            else if (message["id"] is not null)
            {
                return (tokens, progress, message);
            }
        }
    }
}
