using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Resilience;

/// <summary>A cluster's concurrency limit refuses the call that would exceed it at once, naming cluster and limit.</summary>
public sealed class BulkheadTests
{
    private FaultyBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _backend = await FaultyBackend.StartAsync();
        var routes = new RoutesJson()
            .ClusterRaw("narrow", $$$"""{"Destinations":{"d":{"Address":"{{{_backend.Address}}}"}},"Metadata":{"Gateway.MaxConcurrentRequests":"2"}}""")
            .Tool("tool", "narrow", "POST /work")
            .Route("api", """{"ClusterId":"narrow","Match":{"Path":"/api/{**rest}"}}""");
        _gateway = await TestGateway.StartAsync(routes.ToString());
        _http = new HttpClient { BaseAddress = _gateway.Address, Timeout = TimeSpan.FromSeconds(20) };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _backend.Release();
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Test]
    public async Task ClusterAtItsLimit_NextToolCallIsRefusedWithBackendBusy()
    {
        _backend.Hold();
        var held = new[] { GatewayProbe.CallToolTextAsync(_http, "tool"), GatewayProbe.CallToolTextAsync(_http, "tool") };
        await _backend.WaitForInFlightAsync(2);

        var (status, error, message) = await GatewayProbe.CallToolTextAsync(_http, "tool");
        _backend.Release();
        var finished = await Task.WhenAll(held);

        Assert.That(status, Is.EqualTo(503));
        Assert.That(error, Is.EqualTo("BackendBusy"));
        Assert.That(message, Does.Contain("'narrow'").And.Contain("2 calls in flight"));
        Assert.That(_backend.Requests, Is.EqualTo(2), "the refused call never reached the backend");
        Assert.That(finished.Select(f => f.Status), Is.All.EqualTo(200), "calls inside the limit complete normally");
    }

    [Test]
    public async Task ClusterAtItsLimit_PassthroughRequestIsRefusedWith503Json()
    {
        _backend.Hold();
        var held = new[] { _http.GetAsync("api/a"), _http.GetAsync("api/b") };
        await _backend.WaitForInFlightAsync(2);

        using var refused = await _http.GetAsync("api/c");
        var body = await refused.Content.ReadFromJsonAsync<JsonObject>();
        _backend.Release();
        foreach (var response in await Task.WhenAll(held))
        {
            response.Dispose();
        }

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((string?)body!["error"], Is.EqualTo("BackendBusy"));
        Assert.That((int?)body["data"]?["limit"], Is.EqualTo(2));
    }

    [Test]
    public async Task SlotsAreReturned_AfterCallsFinish()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await GatewayProbe.CallToolTextAsync(_http, "tool")).Status, Is.EqualTo(200));
        }

        Assert.That(_backend.Requests, Is.EqualTo(5));
    }
}
