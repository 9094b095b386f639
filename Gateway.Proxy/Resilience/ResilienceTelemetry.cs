using Gateway.Proxy.Configuration;
using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Proxy.Resilience;

/// <summary>Connects this area to the gateway's metrics: reload results, circuit states and backend health.</summary>
public sealed class ResilienceTelemetry : IHostedService
{
    private readonly RoutesFileConfigProvider _routes;
    private readonly GatewayMetrics _metrics;
    private readonly ClusterAvailability _availability;

    public ResilienceTelemetry(RoutesFileConfigProvider routes, GatewayMetrics metrics, ClusterAvailability availability)
    {
        _routes = routes;
        _metrics = metrics;
        _availability = availability;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _routes.ReloadAttempted += _metrics.RecordConfigReload;
        _metrics.ObserveCircuitStates(_availability.CircuitStates);
        _metrics.ObserveBackendUp(_availability.BackendsUp);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _routes.ReloadAttempted -= _metrics.RecordConfigReload;
        return Task.CompletedTask;
    }
}
