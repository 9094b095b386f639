using Gateway.Transforms.Federation;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Configuration;

/// <summary>routes.json as parsed: YARP routes and clusters plus the tool declarations they carry, and the federated upstreams.</summary>
public sealed record RoutesDocument(
    IReadOnlyList<RouteConfig> Routes,
    IReadOnlyList<ClusterConfig> Clusters,
    IReadOnlyList<ToolDeclaration> Tools)
{
    public IReadOnlyList<UpstreamDeclaration> Upstreams { get; init; } = [];
}
