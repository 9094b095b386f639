using Gateway.Proxy.Observability.Metrics;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// Whether a cluster can take calls right now: its circuit is not refusing calls, and YARP's active or passive health
/// checks have not marked every destination unhealthy. Without health checks every destination counts as up.
/// </summary>
public sealed class ClusterAvailability
{
    private readonly IProxyStateLookup _proxyState;
    private readonly ClusterResilienceRegistry _clusters;

    public ClusterAvailability(IProxyStateLookup proxyState, ClusterResilienceRegistry clusters)
    {
        _proxyState = proxyState;
        _clusters = clusters;
    }

    public bool IsAvailable(string clusterId)
    {
        if (_clusters.TryGet(clusterId, out var cluster) && cluster.IsRefusingCalls)
        {
            return false;
        }

        return !_proxyState.TryGetCluster(clusterId, out var state) || HasHealthyDestination(state);
    }

    /// <summary>Per configured cluster: true while a destination is not marked unhealthy (the mcp_backend_up gauge).</summary>
    public IEnumerable<KeyValuePair<string, bool>> BackendsUp()
    {
        foreach (var cluster in _proxyState.GetClusters())
        {
            yield return KeyValuePair.Create(cluster.ClusterId, HasHealthyDestination(cluster));
        }
    }

    // Read from the health states rather than AvailableDestinations: YARP's default HealthyOrPanic policy hands out
    // every destination once all are unhealthy, which would hide the outage.
    private static bool HasHealthyDestination(ClusterState cluster)
    {
        var destinations = cluster.DestinationsState.AllDestinations;
        for (var i = 0; i < destinations.Count; i++)
        {
            var health = destinations[i].Health;
            if (health.Active != DestinationHealth.Unhealthy && health.Passive != DestinationHealth.Unhealthy)
            {
                return true;
            }
        }

        return destinations.Count == 0;
    }

    /// <summary>Circuit state of every configured cluster; clusters never called yet are closed.</summary>
    public IEnumerable<KeyValuePair<string, CircuitStateCode>> CircuitStates()
    {
        foreach (var cluster in _proxyState.GetClusters())
        {
            var state = _clusters.TryGet(cluster.ClusterId, out var resilience) ? resilience.CircuitState : CircuitStateCode.Closed;
            yield return KeyValuePair.Create(cluster.ClusterId, state);
        }
    }
}
