using Gateway.Proxy.Health;
using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Proxy.Resilience;

/// <summary>Circuit state per cluster for /status/servers, read from the clusters' breakers.</summary>
public sealed class ClusterCircuitState(ClusterResilienceRegistry clusters) : IClusterCircuitState
{
    public string StateOf(string clusterId) =>
        (clusters.TryGet(clusterId, out var cluster) ? cluster.CircuitState : CircuitStateCode.Closed) switch
        {
            CircuitStateCode.Open => "open",
            CircuitStateCode.HalfOpen => "half_open",
            _ => "closed",
        };
}
