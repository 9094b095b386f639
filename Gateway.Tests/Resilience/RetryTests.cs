using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Resilience;

/// <summary>Connection failures are retried only for calls that are safe to repeat, and only within the retry budget.</summary>
public sealed class RetryTests
{
    private FaultyBackend _backend = null!;

    [SetUp]
    public async Task StartBackendAsync() => _backend = await FaultyBackend.StartAsync();

    [TearDown]
    public async Task StopBackendAsync() => await _backend.DisposeAsync();

    [TestCase("""{"idempotentHint":true}""")]
    [TestCase("""{"readOnlyHint":true}""")]
    public async Task RetrySafeTool_ConnectionResetBeforeAnswer_IsRetriedAndSucceeds(string annotations)
    {
        await using var gateway = await StartGatewayAsync(annotations);
        using var http = new HttpClient { BaseAddress = gateway.Address };
        _backend.DropNext(1);

        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "tool");

        Assert.That(status, Is.EqualTo(200), text);
        Assert.That(_backend.Requests, Is.EqualTo(2));
    }

    [TestCase(null)]
    [TestCase("""{"readOnlyHint":false,"idempotentHint":false}""")]
    public async Task NonIdempotentTool_ConnectionReset_IsNeverRetried(string? annotations)
    {
        await using var gateway = await StartGatewayAsync(annotations);
        using var http = new HttpClient { BaseAddress = gateway.Address };
        _backend.DropNext(1);

        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "tool");

        Assert.That(status, Is.EqualTo(502));
        Assert.That(text, Does.StartWith("BackendUnavailable:"));
        Assert.That(_backend.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task RetrySafeTool_BackendKeepsFailing_RetriesAreBounded()
    {
        await using var gateway = await StartGatewayAsync("""{"readOnlyHint":true}""", new() { ["Gateway:Resilience:Retry:MaxRetries"] = "2" });
        using var http = new HttpClient { BaseAddress = gateway.Address };
        _backend.DropNext(100);

        var (status, _, _) = await GatewayProbe.CallToolTextAsync(http, "tool");

        Assert.That(status, Is.EqualTo(502));
        Assert.That(_backend.Requests, Is.EqualTo(3), "one attempt plus MaxRetries");
    }

    [Test]
    public async Task RetryBudgetUsedUp_FurtherFailuresAreNotRetried()
    {
        await using var gateway = await StartGatewayAsync("""{"readOnlyHint":true}""", new()
        {
            ["Gateway:Resilience:Retry:MaxRetries"] = "2",
            ["Gateway:Resilience:Retry:BudgetRatio"] = "0",
            ["Gateway:Resilience:Retry:BudgetMinimumRetries"] = "1",
            ["Gateway:Resilience:Retry:BudgetWindow"] = "00:01:00",
        });
        using var http = new HttpClient { BaseAddress = gateway.Address };
        _backend.DropNext(100);

        await GatewayProbe.CallToolTextAsync(http, "tool");
        var afterFirst = _backend.Requests;
        await GatewayProbe.CallToolTextAsync(http, "tool");

        Assert.That(afterFirst, Is.EqualTo(2), "the budget allowed exactly one retry");
        Assert.That(_backend.Requests, Is.EqualTo(3), "the second call got no retry");
    }

    [Test]
    public async Task RetrySafeTool_DeadDestination_IsRetriedOnAnotherDestination()
    {
        var dead = new Uri($"http://127.0.0.1:{UnusedPort()}/");
        var routes = new RoutesJson()
            .ClusterRaw("pair", $$$"""
                {"LoadBalancingPolicy":"RoundRobin","Destinations":{"dead":{"Address":"{{{dead}}}"},"live":{"Address":"{{{_backend.Address}}}"} } }
                """)
            .Tool("tool", "pair", "POST /work", annotations: """{"readOnlyHint":true}""");
        await using var gateway = await TestGateway.StartAsync(routes.ToString(), NoBreaker);
        using var http = new HttpClient { BaseAddress = gateway.Address };

        for (var i = 0; i < 6; i++)
        {
            var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "tool");
            Assert.That(status, Is.EqualTo(200), text);
        }

        Assert.That(_backend.Requests, Is.EqualTo(6));
    }

    [Test]
    public async Task PassthroughGetWithoutBody_IsRetried_PostWithBodyIsNot()
    {
        var routes = new RoutesJson().Cluster("api", _backend.Address)
            .Route("api", """{"ClusterId":"api","Match":{"Path":"/api/{**rest}"}}""");
        await using var gateway = await TestGateway.StartAsync(routes.ToString(), NoBreaker);
        using var http = new HttpClient { BaseAddress = gateway.Address };

        _backend.DropNext(1);
        using var get = await http.GetAsync("api/items");
        var afterGet = _backend.Requests;

        _backend.DropNext(1);
        using var post = await http.PostAsync("api/items", new StringContent("""{"name":"x"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterGet, Is.EqualTo(2));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(_backend.Requests, Is.EqualTo(3));
    }

    private static readonly Dictionary<string, string?> NoBreaker = new() { ["Gateway:Resilience:CircuitBreaker:Enabled"] = "false" };

    private Task<TestGateway> StartGatewayAsync(string? annotations, Dictionary<string, string?>? settings = null)
    {
        var routes = new RoutesJson().Cluster("backend", _backend.Address).Tool("tool", "backend", "POST /work", annotations: annotations);
        var all = new Dictionary<string, string?>(NoBreaker);
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return TestGateway.StartAsync(routes.ToString(), all);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
