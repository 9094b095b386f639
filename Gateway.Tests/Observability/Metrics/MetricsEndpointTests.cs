using System.Net;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Observability.Metrics;

[CancelAfter(60_000)]
public sealed class MetricsEndpointTests
{
    private MetricsHost _host = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartApp()
    {
        _host = await MetricsHost.StartAsync(map: app => app.MapGet("/items/{id}", (string id) => Results.Ok(id)));
        _client = _host.Http;
    }

    [TearDown]
    public async Task StopApp() => await _host.DisposeAsync();

    [Test]
    public async Task GetMetrics_AfterTraffic_ServesFrameworkHistogramWithBoundedLabels()
    {
        for (var i = 0; i < 5; i++)
        {
            using var item = await _client.GetAsync($"/items/{i}?user=alice{i}");
            Assert.That(item.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var missing = await _client.GetAsync("/no/such/path/12345");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var response = await _client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(response.Content.Headers.ContentType?.Parameters.Select(p => p.ToString()), Does.Contain("version=0.0.4"));
        var exposition = PrometheusExposition.Parse(text);
        var routed = exposition.SamplesOf("http_server_request_duration_seconds_bucket")
            .Where(s => s.Labels.GetValueOrDefault("http_route") == "/items/{id}" && s.Labels["le"] == "+Inf")
            .ToList();
        Assert.That(routed, Has.Count.EqualTo(1));
        Assert.That(routed[0].Value, Is.EqualTo(5));
        Assert.That(routed[0].Labels["http_response_status_code"], Is.EqualTo("200"));
        var labelValues = exposition.Samples.SelectMany(s => s.Labels.Values).ToList();
        Assert.That(labelValues, Has.None.Contains("alice"));
        Assert.That(labelValues, Has.None.Contains("12345"));
        Assert.That(labelValues, Has.None.Contains("/items/3"));
    }

    [Test]
    public async Task GetMetrics_GatewayMetricsRecorded_AreServed()
    {
        var metrics = _host.Metrics;
        metrics.RecordToolCall("echo");

        var exposition = PrometheusExposition.Parse(await _client.GetStringAsync("/metrics"));

        Assert.That(exposition.Value("mcp_tool_calls_total", ("tool_name", "echo")), Is.EqualTo(1));
        Assert.That(exposition.Types["mcp_gateway_build_info"], Is.EqualTo("gauge"));
    }

    [Test]
    public async Task PromtoolCheckMetrics_AcceptsLiveFrameworkExposition()
    {
        _host.Metrics.RecordMcpRequest("echo", true, TimeSpan.FromMilliseconds(20));
        using (await _client.GetAsync("/items/1"))
        {
        }

        var text = await _client.GetStringAsync("/metrics");
        Assert.That(text, Does.Contain("# TYPE dotnet_gc_collections_total counter"), "runtime metrics are included");

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.That(exitCode, Is.Zero, output + "\n--- exposition ---\n" + text);
    }
}
