using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.RateLimiting;

/// <summary>
/// Policies applied by the real gateway (in-memory store) to MCP tools/call, the REST facade and passthrough routes:
/// headers, the 429 and JSON-RPC error shapes, partitions, tiers, the default limit and Disable.
/// </summary>
public sealed class RateLimitingGatewayTests
{
    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    public static Dictionary<string, string?> PolicySettings() => new()
    {
        ["Gateway:RateLimiting:DefaultRequestsPerMinute"] = "3",
        ["Gateway:RateLimiting:Policies:tight:PermitLimit"] = "2",
        ["Gateway:RateLimiting:Policies:tight:Window"] = "00:01:00",
        ["Gateway:RateLimiting:Policies:tight:PartitionBy:0"] = "principal",
        ["Gateway:RateLimiting:Policies:tight:PartitionBy:1"] = "tool",
        ["Gateway:RateLimiting:Policies:tiered:PermitLimit"] = "2",
        ["Gateway:RateLimiting:Policies:tiered:Tiers:free:PermitLimit"] = "1",
        ["Gateway:RateLimiting:Policies:tiered:Tiers:standard:PermitLimit"] = "4",
        ["Gateway:RateLimiting:Policies:per-tenant:PermitLimit"] = "2",
        ["Gateway:RateLimiting:Policies:per-tenant:PartitionBy:0"] = "tenant",
    };

    public static string Routes(Uri backend) => new RoutesJson()
        .Cluster("backend", backend)
        .Tool("search", "backend", "POST /search", routeExtras: """{"RateLimiterPolicy":"tight"}""")
        .Tool("lookup", "backend", "POST /lookup", routeExtras: """{"RateLimiterPolicy":"tight"}""")
        .Tool("tiered", "backend", "POST /tiered", routeExtras: """{"RateLimiterPolicy":"tiered"}""")
        .Tool("tenanted", "backend", "POST /tenanted", routeExtras: """{"RateLimiterPolicy":"per-tenant"}""")
        .Tool("defaulted", "backend", "POST /defaulted")
        .Route("api", """{"ClusterId":"backend","Match":{"Path":"/api/{**rest}"},"RateLimiterPolicy":"tight"}""")
        .Route("open", """{"ClusterId":"backend","Match":{"Path":"/open/{**rest}"},"RateLimiterPolicy":"Disable"}""")
        .Route("plain", """{"ClusterId":"backend","Match":{"Path":"/plain/{**rest}"}}""")
        .Route("explicit-default", """{"ClusterId":"backend","Match":{"Path":"/explicit/{**rest}"},"RateLimiterPolicy":"default"}""")
        .ToString();

    /// <summary>A backend that sends rate-limit headers of its own, which the gateway's must replace.</summary>
    public static Task<TestBackend> StartBackendAsync() => TestBackend.StartAsync(app => app.Map("/{**path}", (HttpContext context) =>
    {
        context.Response.Headers["X-RateLimit-Limit"] = "9999";
        context.Response.Headers["RateLimit"] = "\"backend\";r=1;t=1";
        return Results.Json(new { ok = true });
    }));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await StartBackendAsync();
        _gateway = await TestGateway.StartAsync(Routes(_backend.Address), PolicySettings(), TestHeaderAuthentication.AddTo);
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
    public async Task Passthrough_AllowedResponse_CarriesTheGatewaysHeadersOverTheBackends()
    {
        var caller = NewCaller();

        using var response = await GetAsync("api/items", caller);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("X-RateLimit-Limit"), Is.EqualTo(new[] { "2" }));
        Assert.That(response.Headers.GetValues("X-RateLimit-Remaining"), Is.EqualTo(new[] { "1" }));
        Assert.That(long.Parse(Single(response, "X-RateLimit-Reset")), Is.InRange(Now() + 55, Now() + 61));
        Assert.That(Single(response, "RateLimit-Policy"), Is.EqualTo("\"tight\";q=2;w=60"));
        Assert.That(Single(response, "RateLimit"), Does.Match("^\"tight\";r=1;t=(59|60)$"));
    }

    [Test]
    public async Task Passthrough_OverLimit_Is429WithRetryAfterAndErrorBody()
    {
        var caller = NewCaller();
        await GetAsync("api/a", caller);
        await GetAsync("api/b", caller);

        using var rejected = await GetAsync("api/c", caller);
        var body = await rejected.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        var retryAfter = (long)rejected.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.That(retryAfter, Is.InRange(1, 60));
        Assert.That(Single(rejected, "X-RateLimit-Remaining"), Is.EqualTo("0"));
        Assert.That(Single(rejected, "RateLimit"), Does.StartWith("\"tight\";r=0;t="));
        Assert.That((string?)body!["error"], Is.EqualTo("RateLimited"));
        Assert.That((long?)body["data"]!["retry_after_seconds"], Is.EqualTo(retryAfter));
        Assert.That((int?)body["data"]!["limit"], Is.EqualTo(2));
        Assert.That((string?)body["data"]!["policy"], Is.EqualTo("tight"));
        Assert.That((long?)body["data"]!["reset"], Is.InRange(Now(), Now() + 61));
    }

    [Test]
    public async Task RestFacade_AllowedCall_CarriesHeaders_AndOverLimitIs429()
    {
        var caller = NewCaller();

        using var first = await CallFacadeAsync("search", caller);
        await CallFacadeAsync("search", caller);
        using var rejected = await CallFacadeAsync("search", caller);
        var body = await rejected.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Single(first, "RateLimit"), Does.Match("^\"tight\";r=1;t=(59|60)$"));
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.Not.Null);
        Assert.That((string?)body!["error"], Is.EqualTo("RateLimited"));
        Assert.That((string?)body["data"]!["policy"], Is.EqualTo("tight"));
    }

    [Test]
    public async Task McpRawHttp_RejectedToolCall_IsAnIsErrorResultWithRetryData()
    {
        var caller = NewCaller();
        await CallMcpRawAsync("search", caller);
        using var allowed = await CallMcpRawAsync("search", caller);

        using var rejected = await CallMcpRawAsync("search", caller);
        var message = await McpHttp.ReadMessageAsync(rejected);

        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the result travels in a 200 response");
        Assert.That(rejected.Headers.Contains("Retry-After") || rejected.Headers.Contains("RateLimit"), Is.False,
            "/mcp commits its headers before the tool runs; the result's _meta carries the rate-limit state");
        Assert.That(message["error"], Is.Null, message.ToJsonString());
        var result = message["result"]!;
        Assert.That((bool?)result["isError"], Is.True);
        var figures = result["_meta"]!["mcp-gateway/error"]!;
        Assert.That((string?)figures["code"], Is.EqualTo("RateLimited"));
        Assert.That((long?)figures["retry_after_seconds"], Is.InRange(1, 60));
        Assert.That((string?)result["content"]![0]!["text"], Does.StartWith("RateLimited: Rate limit exceeded")
            .And.Contain($"Retry after {(long)figures["retry_after_seconds"]!} s"));
        Assert.That((int?)figures["limit"], Is.EqualTo(2));
        Assert.That((string?)figures["policy"], Is.EqualTo("tight"));
        Assert.That((long?)figures["reset"], Is.InRange(Now(), Now() + 61));
    }

    [Test]
    public async Task McpSdkClient_RejectedToolCall_IsAnIsErrorResultWithRetryData()
    {
        await using var client = await ConnectAsync(NewCaller());
        await client.CallToolAsync("search", new Dictionary<string, object?>());
        await client.CallToolAsync("search", new Dictionary<string, object?>());

        var result = await client.CallToolAsync("search", new Dictionary<string, object?>());

        Assert.That(result.IsError, Is.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.StartWith("RateLimited: ").And.Contain("Retry after"));
        var figures = result.Meta!["mcp-gateway/error"]!;
        Assert.That((string?)figures["code"], Is.EqualTo("RateLimited"));
        Assert.That((long?)figures["retry_after_seconds"], Is.InRange(1, 60));
        Assert.That((int?)figures["limit"], Is.EqualTo(2));
        Assert.That((string?)figures["policy"], Is.EqualTo("tight"));
    }

    [Test]
    public async Task PrincipalAndToolPartitions_HaveSeparateBudgets()
    {
        var alice = NewCaller();
        var bob = NewCaller();
        var statuses = new List<HttpStatusCode>();

        foreach (var (tool, caller) in new[] { ("search", alice), ("search", alice), ("lookup", alice), ("lookup", alice), ("search", bob), ("search", alice) })
        {
            using var response = await CallFacadeAsync(tool, caller);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests,
        }));
    }

    [Test]
    public async Task TenantPartition_IsSharedByEveryCallerOfTheTenant()
    {
        var tenant = Guid.NewGuid().ToString("N");
        var statuses = new List<HttpStatusCode>();

        foreach (var caller in new[] { NewCaller(tenant: tenant), NewCaller(tenant: tenant), NewCaller(tenant: tenant), NewCaller(tenant: "other-" + tenant) })
        {
            using var response = await CallFacadeAsync("tenanted", caller);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK }));
    }

    [TestCase("free", 1)]
    [TestCase("standard", 4)]
    [TestCase("STANDARD", 4)]
    [TestCase("platinum", 2)]
    [TestCase(null, 2)]
    public async Task TierQuota_FollowsTheTierClaim(string? tier, int expectedAllowed)
    {
        var caller = NewCaller(tier);
        var allowed = 0;
        string? limitHeader = null;

        for (var i = 0; i < 6; i++)
        {
            using var response = await CallFacadeAsync("tiered", caller);
            allowed += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            limitHeader ??= Single(response, "X-RateLimit-Limit");
        }

        Assert.That(allowed, Is.EqualTo(expectedAllowed));
        Assert.That(limitHeader, Is.EqualTo(expectedAllowed.ToString()));
    }

    [Test]
    public async Task DisabledRoute_IsNeverLimitedAndCarriesNoHeaders()
    {
        var caller = NewCaller();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await GetAsync("open/x", caller));
        }

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(responses.Select(r => r.Headers.Contains("RateLimit-Policy")), Is.All.False);
        Assert.That(responses.SelectMany(r => r.Headers.GetValues("X-RateLimit-Limit")), Is.All.EqualTo("9999"), "the backend's own headers pass untouched");
        responses.ForEach(r => r.Dispose());
    }

    [TestCase("plain/x")]
    [TestCase("explicit/x")]
    public async Task RouteWithoutPolicyOrWithDefault_GetsTheDefaultLimit(string path)
    {
        var caller = NewCaller();
        var statuses = new List<HttpStatusCode>();
        string? policyHeader = null;
        for (var i = 0; i < 4; i++)
        {
            using var response = await GetAsync(path, caller);
            statuses.Add(response.StatusCode);
            policyHeader ??= Single(response, "RateLimit-Policy");
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.That(policyHeader, Is.EqualTo("\"default\";q=3;w=60"));
    }

    [Test]
    public async Task ToolWithoutPolicy_GetsTheDefaultLimitPerTool()
    {
        var caller = NewCaller();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await CallFacadeAsync("defaulted", caller);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task AnonymousCallers_ArePartitionedByClientAddress()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await GetAsync("api/anonymous-" + i, caller: null);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Rejections_AreCountedPerPolicy()
    {
        var caller = NewCaller();
        for (var i = 0; i < 3; i++)
        {
            using var _ = await GetAsync("api/counted", caller);
        }

        var metrics = await _http.GetStringAsync("metrics");

        Assert.That(metrics, Does.Match("(?m)^mcp_rate_limited_total\\{policy=\"tight\"\\} [1-9]"));
    }

    private static string NewCaller(string? tier = null, string? tenant = null) =>
        string.Join(";", new[] { Guid.NewGuid().ToString("N"), tier ?? string.Empty, tenant ?? string.Empty });

    private static Dictionary<string, string> HeadersOf(string? caller)
    {
        if (caller is null)
        {
            return [];
        }

        var parts = caller.Split(';');
        return TestHeaderAuthentication.Headers(parts[0], parts[1].Length > 0 ? parts[1] : null, parts[2].Length > 0 ? parts[2] : null);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in HeadersOf(caller))
        {
            request.Headers.Add(name, value);
        }

        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> CallFacadeAsync(string tool, string caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = JsonContent.Create(new { tool, arguments = new { } }) };
        foreach (var (name, value) in HeadersOf(caller))
        {
            request.Headers.Add(name, value);
        }

        return await _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> CallMcpRawAsync(string tool, string caller) => _http.SendAsync(McpHttp.Post(
        _gateway.McpEndpoint, McpHttp.Request(7, "tools/call", $$$"""{"name":"{{{tool}}}","arguments":{}}"""), headers: HeadersOf(caller)));

    private async Task<McpClient> ConnectAsync(string caller)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _gateway.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = HeadersOf(caller),
        }, loggerFactory: null);
        return await McpClient.CreateAsync(transport, loggerFactory: null);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? values.Single() : throw new AssertionException($"no {header} header on {(int)response.StatusCode}");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
