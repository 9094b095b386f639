using System.Diagnostics.Metrics;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Observability.Metrics;

public sealed class GatewayMetricsTests
{
    private static readonly GatewayBuildInfo Build = new("1.2.3", "abc123", ".NET 10.0.0");

    private MetricsHost _host = null!;
    private GatewayMetrics _metrics = null!;

    [SetUp]
    public async Task StartHost()
    {
        _host = await MetricsHost.StartAsync(services =>
            services.AddSingleton(provider => new GatewayMetrics(provider.GetRequiredService<IMeterFactory>(), Build)));
        _metrics = _host.Metrics;
    }

    [TearDown]
    public async Task StopHost() => await _host.DisposeAsync();

    [Test]
    public async Task Scrape_AfterKnownTraffic_ReportsExactValues()
    {
        RecordKnownTraffic();

        var exposition = await _host.ScrapeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exposition.Value("mcp_requests_total", ("tool", "echo"), ("status", "ok")), Is.EqualTo(3));
            Assert.That(exposition.Value("mcp_requests_total", ("tool", "echo"), ("status", "error")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_request_duration_seconds_count", ("tool", "echo")), Is.EqualTo(4));
            Assert.That(exposition.Value("mcp_request_duration_seconds_sum", ("tool", "echo")), Is.EqualTo(2.25));
            Assert.That(exposition.Value("mcp_request_duration_seconds_bucket", ("tool", "echo"), ("le", "0.25")), Is.EqualTo(3));
            Assert.That(exposition.Value("mcp_tool_calls_total", ("tool_name", "echo")), Is.EqualTo(2));
            Assert.That(exposition.Value("mcp_auth_failures_total", ("reason", "expired_token")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_rate_limited_total", ("policy", "per_user")), Is.EqualTo(2));
            Assert.That(exposition.Value("mcp_validation_rejections_total", ("validator", "sql")), Is.EqualTo(1));
            Assert.That(exposition.Value("http_requests_total", ("status", "200")), Is.EqualTo(2));
            Assert.That(exposition.Value("http_requests_total", ("status", "503")), Is.EqualTo(1));
            Assert.That(exposition.Value("http_request_duration_seconds_count"), Is.EqualTo(3));
            Assert.That(exposition.Value("mcp_backend_up", ("cluster", "a")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_backend_up", ("cluster", "b")), Is.EqualTo(0));
            Assert.That(exposition.Value("mcp_circuit_state", ("cluster", "a")), Is.EqualTo(0));
            Assert.That(exposition.Value("mcp_circuit_state", ("cluster", "b")), Is.EqualTo(2));
            Assert.That(exposition.Value("mcp_redis_available"), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_audit_events_total", ("outcome", "written")), Is.EqualTo(5));
            Assert.That(exposition.Value("mcp_audit_events_total", ("outcome", "forwarded")), Is.EqualTo(7));
            Assert.That(exposition.Value("mcp_audit_events_total", ("outcome", "dropped")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_api_key_expiry_timestamp", ("key_id", "k1")), Is.EqualTo(1_800_000_000));
            Assert.That(exposition.Value("mcp_active_sessions", ("transport", "streamable_http")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_active_sessions", ("transport", "sse")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_active_streams", ("transport", "sse")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_config_reloads_total", ("result", "success")), Is.EqualTo(1));
            Assert.That(exposition.Value("mcp_config_reloads_total", ("result", "failure")), Is.EqualTo(1));
            Assert.That(
                exposition.Value("mcp_gateway_build_info", ("version", "1.2.3"), ("commit", "abc123"), ("runtime", ".NET 10.0.0")),
                Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Scrape_ExportsTheDocumentedFamilies_AndNoOtherGatewayFamily()
    {
        RecordKnownTraffic();

        var exposition = await _host.ScrapeAsync();

        var documented = new Dictionary<string, string>
        {
            ["mcp_requests_total"] = "counter",
            ["mcp_request_duration_seconds"] = "histogram",
            ["mcp_tool_calls_total"] = "counter",
            ["mcp_auth_failures_total"] = "counter",
            ["mcp_rate_limited_total"] = "counter",
            ["mcp_validation_rejections_total"] = "counter",
            ["http_requests_total"] = "counter",
            ["http_request_duration_seconds"] = "histogram",
            ["mcp_backend_up"] = "gauge",
            ["mcp_circuit_state"] = "gauge",
            ["mcp_redis_available"] = "gauge",
            ["mcp_audit_events_total"] = "counter",
            ["mcp_api_key_expiry_timestamp"] = "gauge",
            ["mcp_active_sessions"] = "gauge",
            ["mcp_active_streams"] = "gauge",
            ["mcp_config_reloads_total"] = "counter",
            ["mcp_gateway_build_info"] = "gauge",
        };
        var gatewayFamilies = exposition.Types
            .Where(family => family.Key.StartsWith("mcp_", StringComparison.Ordinal) || documented.ContainsKey(family.Key))
            .ToDictionary();
        Assert.That(gatewayFamilies, Is.EquivalentTo(documented));
    }

    [Test]
    public async Task Scrape_DurationHistograms_KeepTheirBucketBounds()
    {
        RecordKnownTraffic();

        var exposition = await _host.ScrapeAsync();

        string[] Bounds(string bucketSeries, params (string Name, string Value)[] labels) =>
            [.. exposition.SamplesOf(bucketSeries)
                .Where(sample => labels.All(label => sample.Labels.GetValueOrDefault(label.Name) == label.Value))
                .Select(sample => sample.Labels["le"])];
        string[] expected = ["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "30", "+Inf"];
        Assert.That(Bounds("mcp_request_duration_seconds_bucket", ("tool", "echo")), Is.EqualTo(expected));
        Assert.That(Bounds("http_request_duration_seconds_bucket"), Is.EqualTo(expected));
    }

    [Test]
    public async Task Scrape_ThrowingCallbacks_ReportRedisDownAndSkipTheRest()
    {
        _metrics.ObserveBackendUp(() => throw new InvalidOperationException("health unknown"));
        _metrics.ObserveRedisAvailable(() => throw new TimeoutException());
        _metrics.RecordToolCall("echo");

        var exposition = await _host.ScrapeAsync();

        Assert.That(exposition.Value("mcp_redis_available"), Is.EqualTo(0));
        Assert.That(exposition.SamplesOf("mcp_backend_up"), Is.Empty);
        Assert.That(exposition.Value("mcp_tool_calls_total", ("tool_name", "echo")), Is.EqualTo(1));
    }

    [Test]
    public async Task PromtoolCheckMetrics_AcceptsGatewayExposition()
    {
        RecordKnownTraffic();
        var text = await _host.ScrapeTextAsync();

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);

        Assert.That(exitCode, Is.Zero, output + "\n--- exposition ---\n" + text);
        Assert.That(output.Trim(), Is.Empty);
    }

    [Test]
    public void GatewayBuildInfo_FromAssembly_SplitsVersionAndCommit()
    {
        var info = GatewayBuildInfo.FromAssembly(typeof(GatewayMetrics).Assembly);

        Assert.That(info.Version, Does.StartWith("0.1.0"));
        Assert.That(info.Version, Does.Not.Contain("+"));
        Assert.That(info.Commit, Is.Not.Empty);
        Assert.That(info.Runtime, Does.StartWith(".NET"));
    }

    private void RecordKnownTraffic()
    {
        _metrics.RecordMcpRequest("echo", succeeded: true, TimeSpan.FromSeconds(0.125));
        _metrics.RecordMcpRequest("echo", succeeded: true, TimeSpan.FromSeconds(0.125));
        _metrics.RecordMcpRequest("echo", succeeded: true, TimeSpan.FromSeconds(0.25));
        _metrics.RecordMcpRequest("echo", succeeded: false, TimeSpan.FromSeconds(1.75));
        _metrics.RecordToolCall("echo");
        _metrics.RecordToolCall("echo");
        _metrics.RecordAuthFailure("expired_token");
        _metrics.RecordRateLimited("per_user");
        _metrics.RecordRateLimited("per_user");
        _metrics.RecordValidationRejection("sql");
        _metrics.RecordHttpRequest(200, TimeSpan.FromMilliseconds(5));
        _metrics.RecordHttpRequest(200, TimeSpan.FromMilliseconds(7));
        _metrics.RecordHttpRequest(503, TimeSpan.FromMilliseconds(900));
        _metrics.ObserveBackendUp(() => [new("a", true), new("b", false)]);
        _metrics.ObserveCircuitStates(() => [new("a", CircuitStateCode.Closed), new("b", CircuitStateCode.Open)]);
        _metrics.ObserveRedisAvailable(() => true);
        _metrics.ObserveApiKeyExpiry(() => [new("k1", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000))]);
        _metrics.RecordAuditWritten(5);
        _metrics.RecordAuditForwarded(7);
        _metrics.RecordAuditDropped(1);
        _metrics.SessionsChanged("streamable_http", 1);
        _metrics.SessionsChanged("streamable_http", 1);
        _metrics.SessionsChanged("streamable_http", -1);
        _metrics.SessionsChanged("sse", 1);
        _metrics.StreamsChanged("sse", 1);
        _metrics.RecordConfigReload(succeeded: true);
        _metrics.RecordConfigReload(succeeded: false);
    }
}
