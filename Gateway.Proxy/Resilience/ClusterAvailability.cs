using Gateway.Proxy.Observability.Metrics;
using Yarp.ReverseProxy;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// Whether a cluster can take calls right now: its circuit is not open, and YARP's health checks leave it at least
/// one destination. Without health checks configured every destination counts as available.
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
        if (_clusters.TryGet(clusterId, out var cluster) && cluster.CircuitState == CircuitStateCode.Open)
        {
            return false;
        }

        return !_proxyState.TryGetCluster(clusterId, out var state) || state.DestinationsState.AvailableDestinations.Count > 0;
    }

    /// <summary>Per configured cluster: true while YARP's health state leaves it a destination (the mcp_backend_up gauge).</summary>
    public IEnumerable<KeyValuePair<string, bool>> BackendsUp()
    {
        foreach (var cluster in _proxyState.GetClusters())
        {
            yield return KeyValuePair.Create(cluster.ClusterId, cluster.DestinationsState.AvailableDestinations.Count > 0);
        }
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
