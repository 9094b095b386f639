using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Configuration;

/// <summary>One generation of routes and clusters handed to YARP; its change token fires when a newer one exists.</summary>
internal sealed class GatewayProxyConfig : IProxyConfig
{
    private readonly CancellationTokenSource _changed = new();

    public GatewayProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, long generation)
    {
        Routes = routes;
        Clusters = clusters;
        RevisionId = generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ChangeToken = new CancellationChangeToken(_changed.Token);
    }

    public IReadOnlyList<RouteConfig> Routes { get; }

    public IReadOnlyList<ClusterConfig> Clusters { get; }

    public string RevisionId { get; }

    public IChangeToken ChangeToken { get; }

    public void SignalChanged() => _changed.Cancel();
}
