using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Configuration;

/// <summary>routes.json as parsed: YARP routes and clusters plus the tool declarations they carry.</summary>
public sealed record RoutesDocument(
    IReadOnlyList<RouteConfig> Routes,
    IReadOnlyList<ClusterConfig> Clusters,
    IReadOnlyList<ToolDeclaration> Tools);
