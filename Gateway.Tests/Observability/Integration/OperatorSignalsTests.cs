using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Observability.Integration;

/// <summary>What an operator's runbook relies on, through the real host: request ids, audit lines, metrics, readiness, status.</summary>
public sealed class OperatorSignalsTests
{
    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson()
            .Cluster("echo", _backend.Address)
            .Tool("echo_tool", "echo", "POST /echo", """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""")
            .Route("echo-api", """{"ClusterId":"echo","Match":{"Path":"/api/echo/{**rest}"}}""");
        _gateway = await TestGateway.StartAsync(routes.ToString());
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Test]
    public async Task WellFormedRequestId_IsEchoedAndForwardedToTheBackend()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool = "echo_tool", arguments = new { text = "hi" } }) };
        request.Headers.Add("X-Request-ID", "req-0001.a:b_c");
        using var response = await _http.SendAsync(request);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        var echo = JsonNode.Parse((string)result!["content"]![0]!["text"]!)!;

        Assert.That(response.Headers.GetValues("X-Request-ID").Single(), Is.EqualTo("req-0001.a:b_c"));
        Assert.That((string?)echo["headers"]!["x-request-id"], Is.EqualTo("req-0001.a:b_c"));
    }

    [TestCase("bad id with spaces")]
    [TestCase("<script>")]
    public async Task MalformedRequestId_IsReplacedByAUuid(string incoming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/echo/x");
        request.Headers.TryAddWithoutValidation("X-Request-ID", incoming);
        using var response = await _http.SendAsync(request);
        var id = response.Headers.GetValues("X-Request-ID").Single();
        var echo = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(Guid.TryParse(id, out _), Is.True, id);
        Assert.That((string?)echo!["headers"]!["x-request-id"], Is.EqualTo(id));
    }

    [Test]
    public async Task PassthroughCall_PropagatesW3cTraceparent()
    {
        var echo = await _http.GetFromJsonAsync<JsonObject>("api/echo/trace");
        Assert.That((string?)echo!["headers"]!["traceparent"], Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$"));
    }

    [Test]
    public async Task EachCall_WritesOneAuditLineWithTheDocumentedFields()
    {
        var id = "audit-" + Guid.NewGuid().ToString("N");
        using (var ok = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool = "echo_tool", arguments = new { text = "secret-value" } }) })
        {
            ok.Headers.Add("X-Request-ID", id);
            (await _http.SendAsync(ok)).Dispose();
        }

        var lines = await WaitForAuditLinesAsync(id, 1);
        var entry = JsonNode.Parse(lines.Single())!.AsObject();
        Assert.That(entry.Select(p => p.Key), Is.SupersetOf(new[]
        {
            "timestamp", "type", "request_id", "user", "tenant", "method", "tool", "status", "error", "latency_ms", "security_flags", "arguments_sha256",
        }));
        Assert.That((string?)entry["type"], Is.EqualTo("mcp_request"));
        Assert.That((string?)entry["method"], Is.EqualTo("tools/call"));
        Assert.That((string?)entry["tool"], Is.EqualTo("echo_tool"));
        Assert.That((string?)entry["status"], Is.EqualTo("ok"));
        Assert.That((string?)entry["arguments_sha256"], Has.Length.EqualTo(64));
        Assert.That(lines.Single(), Does.Not.Contain("secret-value"));
    }

    [Test]
    public async Task RejectedCalls_AreAuditedAsErrors()
    {
        var id = "audit-" + Guid.NewGuid().ToString("N");
        using (var unknown = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool = "ghost" }) })
        {
            unknown.Headers.Add("X-Request-ID", id);
            (await _http.SendAsync(unknown)).Dispose();
        }

        using (var invalid = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool = "echo_tool", arguments = new { } }) })
        {
            invalid.Headers.Add("X-Request-ID", id);
            (await _http.SendAsync(invalid)).Dispose();
        }

        var entries = (await WaitForAuditLinesAsync(id, 2)).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(entries.Select(e => (string?)e["error"]), Is.EquivalentTo(new[] { "ToolNotFound", "InvalidArguments" }));
        Assert.That(entries.Select(e => (string?)e["status"]), Is.All.EqualTo("error"));
    }

    [Test]
    public async Task HealthReadyAndMetrics_AreNotAudited()
    {
        var id = "probe-" + Guid.NewGuid().ToString("N");
        foreach (var path in new[] { "health", "ready", "metrics" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Request-ID", id);
            (await _http.SendAsync(request)).Dispose();
        }

        // A marker call afterwards proves the audit queue has flushed past the probes.
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        using (var call = new HttpRequestMessage(HttpMethod.Get, "api/echo/m"))
        {
            call.Headers.Add("X-Request-ID", marker);
            (await _http.SendAsync(call)).Dispose();
        }

        await WaitForAuditLinesAsync(marker, 1);
        Assert.That(File.ReadAllLines(AuditPath).Where(l => l.Contains(id, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Metrics_CountToolCallsAfterKnownTraffic()
    {
        var before = await ScrapeAsync();
        for (var i = 0; i < 3; i++)
        {
            (await _http.PostAsJsonAsync("tools/call", new { tool = "echo_tool", arguments = new { text = "x" } })).Dispose();
        }

        var after = await ScrapeAsync();
        Assert.That(Value(after, "mcp_tool_calls_total{tool_name=\"echo_tool\"}") - Value(before, "mcp_tool_calls_total{tool_name=\"echo_tool\"}"), Is.EqualTo(3));
        Assert.That(Value(after, "mcp_requests_total{status=\"ok\",tool=\"echo_tool\"}") - Value(before, "mcp_requests_total{status=\"ok\",tool=\"echo_tool\"}"), Is.EqualTo(3));
        Assert.That(after, Does.Contain("mcp_request_duration_seconds_bucket{tool=\"echo_tool\""));
        Assert.That(after, Does.Contain("http_requests_total{"));
    }

    [Test]
    public async Task Ready_ReportsChecksAndStatusServersListsTheCluster()
    {
        var ready = await _http.GetFromJsonAsync<JsonObject>("ready");
        Assert.That((string?)ready!["status"], Is.EqualTo("ready"));
        Assert.That(ready["checks"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "config", "audit", "backends" }));

        var servers = await _http.GetFromJsonAsync<JsonObject>("status/servers");
        var echo = servers!["servers"]!.AsArray().Single(s => (string?)s!["cluster"] == "echo")!;
        Assert.That(echo["tools"]!.AsArray().Select(t => (string?)t), Does.Contain("echo_tool"));

        using var missing = await _http.GetAsync("status/servers/nope");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private string AuditPath => Path.Combine(_gateway.Directory, "logs", "audit.jsonl");

    private async Task<List<string>> WaitForAuditLinesAsync(string requestId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = File.Exists(AuditPath)
                ? (await File.ReadAllLinesAsync(AuditPath)).Where(l => l.Contains(requestId, StringComparison.Ordinal)).ToList()
                : [];
            if (lines.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.That(lines, Has.Count.EqualTo(count), $"audit lines for {requestId}");
                return lines;
            }

            await Task.Delay(50);
        }
    }

    private Task<string> ScrapeAsync() => _http.GetStringAsync("metrics");

    private static double Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
