using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Resilience;

/// <summary>Behind an ingress: X-Forwarded-* trusted only from known proxies, and every endpoint served under a path base.</summary>
public sealed class IngressTests
{
    private FaultyBackend _backend = null!;

    [SetUp]
    public async Task StartBackendAsync() => _backend = await FaultyBackend.StartAsync();

    [TearDown]
    public async Task StopBackendAsync() => await _backend.DisposeAsync();

    [Test]
    public async Task ForwardedHeadersFromKnownProxy_AreHonoured()
    {
        await using var gateway = await StartAsync(new() { ["Gateway:Ingress:KnownNetworks:0"] = "127.0.0.0/8" });

        var seen = await GetThroughIngressAsync(gateway);

        Assert.That((string?)seen["x-forwarded-for"], Is.EqualTo("203.0.113.7"));
        Assert.That((string?)seen["x-forwarded-proto"], Is.EqualTo("https"));
        Assert.That((string?)seen["x-forwarded-host"], Is.EqualTo("mcp.example.com"));
    }

    [Test]
    public async Task ForwardedHeadersFromUnknownProxy_AreIgnored()
    {
        await using var gateway = await StartAsync(new() { ["Gateway:Ingress:KnownProxies:0"] = "10.1.2.3", ["Gateway:Ingress:KnownNetworks:0"] = "10.0.0.0/8" });

        var seen = await GetThroughIngressAsync(gateway);

        Assert.That((string?)seen["x-forwarded-for"], Is.EqualTo("127.0.0.1"));
        Assert.That((string?)seen["x-forwarded-proto"], Is.EqualTo("http"));
        Assert.That((string?)seen["x-forwarded-host"], Is.EqualTo(gateway.Address.Authority));
    }

    [Test]
    public async Task PathBase_ServesHealthToolsPassthroughAndMcp()
    {
        await using var gateway = await StartAsync(new() { ["Gateway:Ingress:PathBase"] = "/mcp-gateway" });
        using var http = new HttpClient { BaseAddress = new Uri(gateway.Address, "mcp-gateway/") };

        using var health = await http.GetAsync("health");
        var tools = await http.GetFromJsonAsync<JsonObject>("tools");
        var (callStatus, _, _) = await GatewayProbe.CallToolTextAsync(http, "tool");
        var passthrough = await http.GetFromJsonAsync<JsonObject>("api/items");
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "mcp"), TransportMode = HttpTransportMode.StreamableHttp });
        await using var client = await McpClient.CreateAsync(transport);
        var mcpTools = await client.ListToolsAsync();
        var mcpCall = await client.CallToolAsync("tool", new Dictionary<string, object?>());

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tools!["tools"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(callStatus, Is.EqualTo(200));
        Assert.That((string?)passthrough!["path"], Is.EqualTo("/api/items"), "the path base is not sent to the backend");
        Assert.That((string?)passthrough["x-forwarded-prefix"], Is.EqualTo("/mcp-gateway"));
        Assert.That(mcpTools.Select(t => t.Name), Is.EquivalentTo(new[] { "tool" }));
        Assert.That(mcpCall.IsError, Is.Not.True);
    }

    [Test]
    public async Task PathBase_LegacySseAnnouncesMessageEndpointUnderThePathBase()
    {
        await using var gateway = await StartAsync(new() { ["Gateway:Ingress:PathBase"] = "/mcp-gateway" });
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "mcp-gateway/sse");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(deadline.Token);
        }
        while (line is not null && !line.StartsWith("data:", StringComparison.Ordinal));

        Assert.That(line, Does.StartWith("data: /mcp-gateway/messages"));
    }

    private Task<TestGateway> StartAsync(Dictionary<string, string?> settings)
    {
        var routes = new RoutesJson().Cluster("main", _backend.Address).Tool("tool", "main", "POST /work")
            .Route("api", """{"ClusterId":"main","Match":{"Path":"/api/{**rest}"}}""");
        return TestGateway.StartAsync(routes.ToString(), settings);
    }

    private static async Task<JsonObject> GetThroughIngressAsync(TestGateway gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/items");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "mcp.example.com");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
