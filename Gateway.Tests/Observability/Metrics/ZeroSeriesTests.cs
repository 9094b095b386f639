using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Observability.Metrics;

/// <summary>
/// The counter series the alert rules take <c>increase()</c> of exist at 0 before the first event, so the first
/// dropped audit entry, rejected reload or tool error is counted instead of appearing as a new series at 1.
/// </summary>
public sealed class ZeroSeriesTests
{
    [Test]
    public async Task FreshGateway_ExportsTheAlertedSeriesAtZero_BeforeAnyTraffic()
    {
        await using var echo = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("echo", echo.Address).Tool("echo_tool", "echo", "POST /x").ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var metrics = await http.GetStringAsync("metrics");

        Assert.That(metrics, Does.Contain("mcp_audit_events_total{outcome=\"dropped\"} 0\n"));
        Assert.That(metrics, Does.Contain("mcp_audit_events_total{outcome=\"failed\"} 0\n"));
        Assert.That(metrics, Does.Contain("mcp_config_reloads_total{result=\"failure\"} 0\n"));
        Assert.That(metrics, Does.Contain("mcp_requests_total{status=\"error\",tool=\"echo_tool\"} 0\n"));
        Assert.That(metrics, Does.Contain("mcp_active_sessions 0\n"));
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

        Assert.That(metrics, Does.Contain("mcp_requests_total{status=\"error\",tool=\"added_tool\"} 0\n"));
    }
}
