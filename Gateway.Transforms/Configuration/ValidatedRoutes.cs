using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Configuration;

/// <summary>A routes.json generation that passed every check: safe to hand to YARP and to publish as the catalog.</summary>
public sealed record ValidatedRoutes(
    IReadOnlyList<RouteConfig> Routes,
    IReadOnlyList<ClusterConfig> Clusters,
    ToolCatalog Catalog)
{
    /// <summary>The federated upstreams; their hidden routes are part of <see cref="Routes"/>.</summary>
    public IReadOnlyList<UpstreamDefinition> Upstreams { get; init; } = [];
}
