using Gateway.Proxy.Observability.Metrics;
using Gateway.Transforms.Catalog;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Publishes the series the alert rules use at 0 when the host starts (audit outcomes, reload results, each tool's
/// ok/error requests) and each new tool's series after a reload: a counter that first appears at 1 hides its first
/// event from <c>rate()</c> and <c>increase()</c>.
/// </summary>
internal sealed class MetricSeriesSeeder : IHostedService
{
    private readonly GatewayMetrics _metrics;
    private readonly ToolCatalogHolder? _catalog;

    // The collector is a constructor dependency so it listens before the first zero is recorded.
    public MetricSeriesSeeder(PrometheusMetricsCollector collector, GatewayMetrics metrics, IServiceProvider services)
    {
        GC.KeepAlive(collector);
        _metrics = metrics;
        _catalog = services.GetService<ToolCatalogHolder>();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _metrics.PublishZeroSeries();
        if (_catalog is not null)
        {
            _catalog.Changed += PublishTools;
            PublishTools(_catalog.Current);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_catalog is not null)
        {
            _catalog.Changed -= PublishTools;
        }

        return Task.CompletedTask;
    }

    private void PublishTools(ToolCatalog catalog)
    {
        foreach (var tool in catalog.Tools)
        {
            _metrics.PublishZeroSeries(tool.Name);
        }
    }
}
