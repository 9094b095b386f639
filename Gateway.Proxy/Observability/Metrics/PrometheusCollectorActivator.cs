namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// Creates the collector when the host starts: a MeterListener only sees measurements made after it starts,
/// so waiting for the first scrape would lose all earlier traffic.
/// </summary>
internal sealed class PrometheusCollectorActivator(PrometheusMetricsCollector collector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(collector);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
