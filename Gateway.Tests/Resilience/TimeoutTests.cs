using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy;

namespace Gateway.Tests.Resilience;

/// <summary>Route timeouts end tool calls and passthrough requests promptly with ToolTimeout, whatever the entry point.</summary>
public sealed class TimeoutTests
{
    private FaultyBackend _backend = null!;

    [SetUp]
    public async Task StartBackendAsync()
    {
        _backend = await FaultyBackend.StartAsync();
        _backend.Delay = TimeSpan.FromSeconds(30);
    }

    [TearDown]
    public async Task StopBackendAsync() => await _backend.DisposeAsync();

    [TestCase("""{"Timeout":"00:00:00.300"}""")]
    [TestCase("""{"Metadata":{"Gateway.Timeout":"00:00:00.300"}}""")]
    public async Task RestFacade_ToolRouteTimeoutExpires_Returns504ToolTimeout(string routeExtras)
    {
        var routes = new RoutesJson().Cluster("slow", _backend.Address).Tool("slow_tool", "slow", "POST /work", routeExtras: routeExtras);
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(10) };

        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "slow_tool");

        Assert.That(status, Is.EqualTo(504));
        Assert.That(text, Does.StartWith("ToolTimeout:").And.Contain("slow_tool").And.Contain("slow"));
    }

    [Test]
    public async Task McpToolsCall_RouteTimeoutExpires_IsErrorResultWithToolTimeout()
    {
        var routes = new RoutesJson().Cluster("slow", _backend.Address).Tool("slow_tool", "slow", "POST /work", routeExtras: """{"Timeout":"00:00:00.300"}""");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp });
        await using var client = await McpClient.CreateAsync(transport);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var result = await client.CallToolAsync("slow_tool", new Dictionary<string, object?>(), cancellationToken: deadline.Token);

        Assert.That(result.IsError, Is.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.StartWith("ToolTimeout:"));
    }

    [Test]
    public async Task ToolWithoutTimeout_UsesDefaultToolTimeout()
    {
        var routes = new RoutesJson().Cluster("slow", _backend.Address).Tool("slow_tool", "slow", "POST /work");
        await using var gateway = await TestGateway.StartAsync(routes.ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Resilience:DefaultToolTimeout"] = "00:00:00.300",
        });
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(10) };

        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "slow_tool");

        Assert.That(status, Is.EqualTo(504));
        Assert.That(text, Does.StartWith("ToolTimeout:"));
    }

    [Test]
    public async Task PassthroughRouteTimeoutExpires_Returns504JsonNamingRouteAndCluster()
    {
        var routes = new RoutesJson().Cluster("slow", _backend.Address)
            .Route("slow-api", """{"ClusterId":"slow","Match":{"Path":"/api/{**rest}"},"Timeout":"00:00:00.300"}""");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync("api/report");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That((string?)body!["error"], Is.EqualTo("ToolTimeout"));
        Assert.That((string?)body["message"], Does.Contain("'slow-api'").And.Contain("'slow'"));
    }

    [Test]
    public async Task ClustersWithoutTheirOwnSettings_GetDefaultActivityTimeoutAndConnectionCap()
    {
        var routes = new RoutesJson().Cluster("plain", _backend.Address)
            .ClusterRaw("tuned", $$$"""{"Destinations":{"d":{"Address":"{{{_backend.Address}}}"}},"HttpRequest":{"ActivityTimeout":"00:00:07"},"HttpClient":{"MaxConnectionsPerServer":3}}""")
            .Tool("a", "plain", "POST /a").Tool("b", "tuned", "POST /b");
        await using var gateway = await TestGateway.StartAsync(routes.ToString(), new Dictionary<string, string?>
        {
            ["Gateway:Resilience:DefaultActivityTimeout"] = "00:00:42",
            ["Gateway:Resilience:DefaultMaxConnectionsPerServer"] = "17",
        });
        var state = gateway.GetRequiredService<IProxyStateLookup>();

        Assert.That(state.TryGetCluster("plain", out var plain), Is.True);
        Assert.That(state.TryGetCluster("tuned", out var tuned), Is.True);
        Assert.That(plain!.Model.Config.HttpRequest?.ActivityTimeout, Is.EqualTo(TimeSpan.FromSeconds(42)));
        Assert.That(plain.Model.Config.HttpClient?.MaxConnectionsPerServer, Is.EqualTo(17));
        Assert.That(tuned!.Model.Config.HttpRequest?.ActivityTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(tuned.Model.Config.HttpClient?.MaxConnectionsPerServer, Is.EqualTo(3));
    }

    [Test]
    public async Task ClusterActivityTimeoutExpires_ToolCallReturnsToolTimeout()
    {
        var routes = new RoutesJson()
            .ClusterRaw("slow", $$$"""{"Destinations":{"d":{"Address":"{{{_backend.Address}}}"}},"HttpRequest":{"ActivityTimeout":"00:00:00.300"}}""")
            .Tool("slow_tool", "slow", "POST /work");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(10) };

        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "slow_tool");

        Assert.That(status, Is.EqualTo(504));
        Assert.That(text, Does.StartWith("ToolTimeout:"));
    }
}
