using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security.Authorization;

/// <summary>
/// With <c>Gateway:Auth:Claims</c> naming other claims (uid/org/plan), every consumer reads the caller from them:
/// session ownership, rate-limit partitions, the audit line. Both users' tokens also carry the same <c>sub</c>,
/// <c>tenant</c> and <c>tier</c>, so anything still reading those names would mix the two users up.
/// </summary>
public sealed class ConfiguredClaimNamesTests
{
    private const string Initialize = """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""";

    private SecuredGateway _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _gateway = await SecuredGateway.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Auth:Claims:Subject"] = "uid",
        ["Gateway:Auth:Claims:Tenant"] = "org",
        ["Gateway:Auth:Claims:Tier"] = "plan",
        ["Gateway:Mcp:Stateful"] = "true",
        ["Gateway:RateLimiting:DefaultRequestsPerMinute"] = "2",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _gateway.DisposeAsync();

    [Test]
    public async Task StatefulSession_AnotherUser_CannotUseOrDeleteIt()
    {
        var alice = Token("alice");
        var bob = Token("bob");
        using var init = await SendAsync(McpHttp.Post(_gateway.Gateway.McpEndpoint, McpHttp.Request(1, "initialize", Initialize)), alice);
        var sessionId = init.Headers.GetValues("Mcp-Session-Id").Single();

        using var bobList = await SendAsync(McpHttp.Post(_gateway.Gateway.McpEndpoint, McpHttp.Request(2, "tools/list"), headers: Session(sessionId)), bob);
        using var bobDelete = await SendAsync(WithSession(new HttpRequestMessage(HttpMethod.Delete, _gateway.Gateway.McpEndpoint), sessionId), bob);
        using var aliceList = await SendAsync(McpHttp.Post(_gateway.Gateway.McpEndpoint, McpHttp.Request(3, "tools/list"), headers: Session(sessionId)), alice);

        Assert.Multiple(() =>
        {
            Assert.That(bobList.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(bobDelete.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(aliceList.StatusCode, Is.EqualTo(HttpStatusCode.OK), "alice's session must survive bob's DELETE");
        });
    }

    [Test]
    public async Task LegacySseSession_AnotherUser_CannotPostToIt()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var open = _gateway.Request(HttpMethod.Get, "sse", Token("alice"));
        using var stream = await _gateway.Http.SendAsync(open, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var endpoint = await SseEvents.NextDataAsync(reader, timeout.Token);

        using var bobPost = _gateway.Request(HttpMethod.Post, endpoint.TrimStart('/'), Token("bob"));
        bobPost.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json");
        using var bobAnswer = await _gateway.Http.SendAsync(bobPost, timeout.Token);
        using var alicePost = _gateway.Request(HttpMethod.Post, endpoint.TrimStart('/'), Token("alice"));
        alicePost.Content = new StringContent("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", Encoding.UTF8, "application/json");
        using var aliceAnswer = await _gateway.Http.SendAsync(alicePost, timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(bobAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(aliceAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        });
    }

    [Test]
    public async Task RateLimit_UsersKnownByTheConfiguredSubject_HaveSeparateBuckets()
    {
        var carol = Token("carol");
        var dave = Token("dave");
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await CallToolAsync(carol);
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"carol's call {i + 1}");
        }

        using var carolThird = await CallToolAsync(carol);
        using var daveFirst = await CallToolAsync(dave);

        Assert.Multiple(() =>
        {
            Assert.That(carolThird.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(daveFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK), "dave must not share carol's bucket");
        });
    }

    [Test]
    public async Task RateLimit_ApiKeysWithConfiguredClaimNames_HaveSeparateBuckets()
    {
        var erin = await _gateway.CreateApiKeyAsync("--subject", "erin", "--tier", "standard", "--scopes", "tools:call");
        var frank = await _gateway.CreateApiKeyAsync("--subject", "frank", "--tier", "standard", "--scopes", "tools:call");
        await WaitForKeyAsync(frank);
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await CallToolAsync(apiKey: erin);
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"erin's call {i + 1}");
        }

        using var erinThird = await CallToolAsync(apiKey: erin);
        using var frankFirst = await CallToolAsync(apiKey: frank);

        Assert.Multiple(() =>
        {
            Assert.That(erinThird.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(frankFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK), "frank must not share erin's bucket");
        });
    }

    [Test]
    public async Task Audit_ConfiguredClaimNames_RecordTheUserAndTenant()
    {
        using var call = await CallToolAsync(Token("grace", org: "initech"));
        var requestId = call.Headers.GetValues("X-Request-ID").Single();

        var line = await AuditLines.WaitForAsync(Path.Combine(_gateway.Gateway.Directory, "logs", "audit.jsonl"), requestId);

        Assert.Multiple(() =>
        {
            Assert.That((string?)line["user"], Is.EqualTo("grace"));
            Assert.That((string?)line["tenant"], Is.EqualTo("initech"));
        });
    }

    private string Token(string uid, string org = "acme") => _gateway.Token(claims =>
    {
        claims["uid"] = uid;
        claims["org"] = org;
        claims["plan"] = "standard";
        claims["sub"] = "shared-subject";
        claims["tenant"] = "shared-tenant";
        claims["tier"] = "free";
    });

    private async Task<HttpResponseMessage> CallToolAsync(string? bearer = null, string? apiKey = null)
    {
        var request = _gateway.Request(HttpMethod.Post, "tools/call", bearer);
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        request.Content = new StringContent("""{"tool":"open_echo","arguments":{}}""", Encoding.UTF8, "application/json");
        using (request)
        {
            return await _gateway.Http.SendAsync(request);
        }
    }

    private async Task WaitForKeyAsync(string apiKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            using var request = _gateway.Request(HttpMethod.Get, "tools");
            request.Headers.Add("X-API-Key", apiKey);
            using var response = await _gateway.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the new API key was not picked up");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string bearer)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using (request)
        {
            return await _gateway.Http.SendAsync(request);
        }
    }

    private static Dictionary<string, string> Session(string id) => new() { ["Mcp-Session-Id"] = id, ["MCP-Protocol-Version"] = "2025-06-18" };

    private static HttpRequestMessage WithSession(HttpRequestMessage request, string id)
    {
        request.Headers.Add("Mcp-Session-Id", id);
        return request;
    }
}
