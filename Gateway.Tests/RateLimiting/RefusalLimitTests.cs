using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;

namespace Gateway.Tests.RateLimiting;

/// <summary>
/// Refused requests cost the caller from the refusal budget (Gateway:RateLimiting:RefusalsPerMinute): floods of
/// unknown tools, malformed messages or bad credentials are limited, and the audit trail stays bounded.
/// </summary>
public sealed class RefusalLimitTests
{
    private const int Budget = 10;

    [Test]
    public async Task BurstOfUnknownToolCalls_IsRateLimitedAfterTheRefusalBudget()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await StartAsync(backend);
        using var http = new HttpClient();

        var codes = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint,
                McpHttp.Request(i, "tools/call", $$$"""{"name":"no_such_tool_{{{i}}}","arguments":{}}""")));
            var message = await McpHttp.ReadMessageAsync(response);
            codes.Add(message["error"] is { } error
                ? ((int)error["code"]!).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : (string)message["result"]!["_meta"]!["mcp-gateway/error"]!["code"]!);
        }

        Assert.Multiple(() =>
        {
            Assert.That(codes.Take(Budget), Is.All.EqualTo("-32602"), "within the budget the refusal says what is wrong");
            Assert.That(codes.Skip(Budget), Is.All.EqualTo("RateLimited").Or.EqualTo("-32000"), "beyond it every refusal is rate limited");
        });
    }

    [Test]
    public async Task BurstOfMalformedMessages_GetsA429WithRetryAfter()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await StartAsync(backend);
        using var http = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30; i++)
        {
            var response = await http.SendAsync(McpHttp.Post(gateway.McpEndpoint, "{not json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(statuses.Take(Budget), Is.All.EqualTo(HttpStatusCode.BadRequest));
            // The refusal that overdraws the budget is answered for what it is (it is charged afterwards); every later request waits at the door.
            Assert.That(statuses.Skip(Budget + 1), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited?.Headers.RetryAfter, Is.Not.Null);
        });
        limited?.Dispose();
    }

    [Test]
    public async Task BurstOfBadCredentials_IsLimitedByClientAddress()
    {
        await using var secured = await SecuredGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:RateLimiting:RefusalsPerMinute"] = Budget.ToString() });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var request = secured.Request(HttpMethod.Get, "tools", bearer: "not-a-token");
            using var response = await secured.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Multiple(() =>
        {
            Assert.That(statuses.Take(Budget), Is.All.EqualTo(HttpStatusCode.Unauthorized));
            // The refusal that overdraws the budget is answered for what it is (it is charged afterwards); every later request waits at the door.
            Assert.That(statuses.Skip(Budget + 1), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        });
    }

    [Test]
    public async Task HugeUnknownToolName_IsEchoedAndAuditedOnlyInPart()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await StartAsync(backend);
        using var http = new HttpClient { BaseAddress = gateway.Address };
        var name = new string('n', 300 * 1024);

        using var response = await http.PostAsync("tools/call", new StringContent($$$"""{"tool":"{{{name}}}","arguments":{}}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        var line = await AuditLines.WaitForAsync(Path.Combine(gateway.Directory, "logs", "audit.jsonl"), response.Headers.GetValues("X-Request-ID").Single());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body.Length, Is.LessThan(1024));
            Assert.That(Encoding.UTF8.GetByteCount(line.ToJsonString()), Is.LessThan(1024));
            Assert.That((string?)line["tool"], Does.EndWith("…[truncated, 307200 chars]"));
        });
    }

    [Test]
    public async Task AFewHugeRequests_CannotRotateAnEntryOutOfTheTrail()
    {
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await StartAsync(backend, new Dictionary<string, string?>
        {
            ["Gateway:Audit:MaxFileBytes"] = "65536",
            ["Gateway:Audit:MaxRetainedFiles"] = "3",
            ["Gateway:RateLimiting:RefusalsPerMinute"] = "60",
        });
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var marker = await http.PostAsync("tools/call", new StringContent("""{"tool":"echo_tool","arguments":{}}""", Encoding.UTF8, "application/json"));
        var markerId = marker.Headers.GetValues("X-Request-ID").Single();
        var name = new string('n', 300 * 1024);

        for (var i = 0; i < 16; i++)
        {
            using var flood = await http.PostAsync("tools/call", new StringContent($$$"""{"tool":"{{{name}}}{{{i}}}","arguments":{}}""", Encoding.UTF8, "application/json"));
        }

        using var last = await http.PostAsync("tools/call", new StringContent("""{"tool":"echo_tool","arguments":{}}""", Encoding.UTF8, "application/json"));
        await AuditLines.WaitForAsync(Path.Combine(gateway.Directory, "logs", "audit.jsonl"), last.Headers.GetValues("X-Request-ID").Single());
        var everyLine = Directory.GetFiles(Path.Combine(gateway.Directory, "logs"))
            .SelectMany(File.ReadAllLines)
            .Select(l => (string?)JsonNode.Parse(l)!["request_id"]);

        Assert.That(everyLine, Does.Contain(markerId));
    }

    private static Task<TestGateway> StartAsync(TestBackend backend, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["Gateway:RateLimiting:RefusalsPerMinute"] = Budget.ToString() };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return TestGateway.StartAsync(new RoutesJson().Cluster("echo", backend.Address).Tool("echo_tool", "echo", "POST /echo").ToString(), values);
    }
}
