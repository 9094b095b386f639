using Gateway.Proxy.Security.Authentication;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;

namespace Gateway.Tests.Observability.Metrics;

/// <summary>
/// The counter series the alert rules take <c>increase()</c> of exist at 0 before the first event, so the first
/// dropped audit entry, rejected reload, authentication failure, rate-limit rejection or tool error is counted instead
/// of appearing as a new series at 1.
/// </summary>
[CancelAfter(60_000)]
public sealed class ZeroSeriesTests
{
    [Test]
    public async Task FreshGateway_ExportsTheAlertedSeriesAtZero_BeforeAnyTraffic()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("echo", echo.Address).Tool("echo_tool", "echo", "POST /x").ToString(),
            new Dictionary<string, string?> { ["Gateway:RateLimiting:Policies:per_user:PermitLimit"] = "10" });
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var metrics = PrometheusExposition.Parse(await http.GetStringAsync("metrics"));

        Assert.Multiple(() =>
        {
            Assert.That(metrics.Value("mcp_audit_events_total", ("outcome", "dropped")), Is.Zero);
            Assert.That(metrics.Value("mcp_audit_events_total", ("outcome", "failed")), Is.Zero);
            Assert.That(metrics.Value("mcp_config_reloads_total", ("result", "failure")), Is.Zero);
            Assert.That(metrics.Value("mcp_requests_total", ("status", "error"), ("tool", "echo_tool")), Is.Zero);
            Assert.That(metrics.Value("mcp_tool_calls_total", ("tool_name", "echo_tool")), Is.Zero);
            Assert.That(metrics.Value("mcp_rate_limited_total", ("policy", "per_user")), Is.Zero);
            Assert.That(metrics.Value("mcp_rate_limited_total", ("policy", "default")), Is.Zero);
            Assert.That(metrics.Value("mcp_rate_limited_total", ("policy", "refusals")), Is.Zero);
            Assert.That(metrics.Value("mcp_active_sessions"), Is.Zero);
            Assert.That(metrics.SamplesOf("mcp_auth_failures_total"), Is.Empty, "with auth off no authentication can fail");
        });
    }

    [Test]
    public async Task FreshGatewayWithAuth_ExportsEveryAuthFailureReasonAtZero()
    {
        await using var env = await SecuredGateway.StartAsync();

        using var response = await env.Http.SendAsync(env.Request(HttpMethod.Get, "metrics", env.OperatorToken()));
        response.EnsureSuccessStatusCode();
        var metrics = PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());

        var reasons = metrics.SamplesOf("mcp_auth_failures_total").Select(sample => sample.Labels["reason"]);
        Assert.That(reasons, Is.EquivalentTo(AuthFailureReasons.All));
        Assert.That(metrics.SamplesOf("mcp_auth_failures_total").Select(sample => sample.Value), Is.All.Zero);
    }

    [Test]
    public async Task ToolAddedByAReload_GetsItsSeriesAtZero()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson().Cluster("echo", echo.Address).Tool("echo_tool", "echo", "POST /x");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };

        await gateway.WriteRoutesAsync(routes.Tool("added_tool", "echo", "POST /y").ToString());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string metrics;
        do
        {
            await Task.Delay(100);
            metrics = await http.GetStringAsync("metrics");
        }
        while (!metrics.Contains("tool=\"added_tool\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.That(PrometheusExposition.Parse(metrics).Value("mcp_requests_total", ("status", "error"), ("tool", "added_tool")), Is.Zero);
    }
}
