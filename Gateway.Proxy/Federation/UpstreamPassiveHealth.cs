using System.Collections.Frozen;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Feeds the upstream requests of federated calls to the cluster's YARP passive health policy, exactly as YARP's
/// passive health middleware feeds forwarded requests: every answer counts as a success, every transport failure
/// (carried, like YARP's own, as an <see cref="IForwarderErrorFeature"/>) as a failure. The policy then marks the
/// destination unhealthy through YARP's destination health updater, so it leaves the available set until its
/// reactivation period is over, for federated and REST calls alike.
/// </summary>
public sealed class UpstreamPassiveHealth
{
    private readonly FrozenDictionary<string, IPassiveHealthCheckPolicy> _policies;

    public UpstreamPassiveHealth(IEnumerable<IPassiveHealthCheckPolicy> policies) =>
        _policies = policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public void Report(ClusterState cluster, DestinationState destination, Exception? transportFailure)
    {
        var options = cluster.Model.Config.HealthCheck?.Passive;
        if (options?.Enabled != true
            || !_policies.TryGetValue(options.Policy ?? HealthCheckConstants.PassivePolicy.TransportFailureRate, out var policy))
        {
            return;
        }

        var context = new DefaultHttpContext();
        if (transportFailure is not null)
        {
            context.Features.Set<IForwarderErrorFeature>(new Resilience.GatewayForwarderError(ForwarderError.Request, transportFailure));
        }

        policy.RequestProxied(context, cluster, destination);
    }
}
