using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary>
/// Per-cluster destination health from YARP. One cluster down is Degraded (other tools still work, and restarting
/// this replica would not help); every cluster down is Unhealthy.
/// </summary>
public sealed class BackendsCheck(IProxyStateLookup proxyState) : IReadinessCheck
{
    public string Name => "backends";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var down = new List<string>();
        var total = 0;
        foreach (var cluster in proxyState.GetClusters())
        {
            total++;
            if (!ClusterHealth.IsAvailable(cluster))
            {
                down.Add(cluster.ClusterId);
            }
        }

        if (down.Count == 0)
        {
            return ValueTask.FromResult(ReadinessResult.Healthy($"{total} clusters available"));
        }

        var detail = $"unavailable: {string.Join(", ", down)}";
        return ValueTask.FromResult(down.Count == total ? ReadinessResult.Unhealthy(detail) : ReadinessResult.Degraded(detail));
    }
}

public static class ClusterHealth
{
    /// <summary>
    /// Available when at least one destination is not known to be unhealthy (Unknown counts as available). Read from
    /// destination health rather than AvailableDestinations, which YARP's default policy refills ("panic") when all are down.
    /// </summary>
    public static bool IsAvailable(ClusterState cluster)
    {
        foreach (var destination in cluster.Destinations.Values)
        {
            if (destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy)
            {
                return true;
            }
        }

        return false;
    }

    public static string Describe(DestinationHealth health) => health switch
    {
        DestinationHealth.Healthy => "healthy",
        DestinationHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}
