using Gateway.Transforms.Catalog;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Federation;

/// <summary>
/// An upstream MCP server that passed every check: where it runs (a YARP cluster and a path), how its tools are
/// filtered and named, what credential the gateway presents, and the hidden YARP route each of its tools is decided
/// on, so the call pipeline's steps read a federated tool's policy exactly as they read a REST tool route's.
/// </summary>
public sealed class UpstreamDefinition
{
    private readonly IReadOnlyDictionary<string, UpstreamToolOverride> _overrides;
    private readonly IReadOnlyDictionary<string, RouteConfig> _toolRoutes;

    public UpstreamDefinition(UpstreamDeclaration declaration, RouteConfig route, IReadOnlyDictionary<string, RouteConfig> toolRoutes)
    {
        Declaration = declaration;
        Names = new UpstreamToolNames(declaration.Namespace, declaration.Separator);
        Filter = new UpstreamToolFilter(declaration.Include, declaration.Exclude);
        ResourceFilter = new UpstreamResourceFilter(declaration.Resources.Include, declaration.Resources.Exclude);
        PromptFilter = new UpstreamToolFilter(declaration.Prompts.Include, declaration.Prompts.Exclude);
        Route = route;
        _toolRoutes = toolRoutes;
        _overrides = declaration.Tools.ToDictionary(t => t.UpstreamName, StringComparer.Ordinal);
    }

    public UpstreamDeclaration Declaration { get; }

    public string Server => Declaration.Server;

    public string ClusterId => Declaration.ClusterId;

    public string Path => Declaration.Path;

    public UpstreamCredential Credential => Declaration.Credential;

    public UpstreamToolNames Names { get; }

    public UpstreamToolFilter Filter { get; }

    /// <summary>Which of the upstream's resources and resource templates are federated (<c>Resources</c>).</summary>
    public UpstreamResourceFilter ResourceFilter { get; }

    /// <summary>Which of the upstream's prompts are federated (<c>Prompts</c>), by their upstream names.</summary>
    public UpstreamToolFilter PromptFilter { get; }

    /// <summary>The route shared by the upstream's tools that have no route keys of their own.</summary>
    public RouteConfig Route { get; }

    /// <summary>Every route this upstream contributes to the YARP configuration.</summary>
    public IEnumerable<RouteConfig> Routes => _toolRoutes.Values.Prepend(Route);

    public UpstreamToolOverride? OverrideFor(string upstreamToolName) => _overrides.GetValueOrDefault(upstreamToolName);

    public RouteConfig RouteFor(string upstreamToolName) => _toolRoutes.GetValueOrDefault(upstreamToolName) ?? Route;

    /// <summary>Same declaration (the routes are derived from it): a reload that changes nothing here keeps the upstream's session.</summary>
    public bool IsSameAs(UpstreamDefinition other) => string.Equals(Declaration.Source, other.Declaration.Source, StringComparison.Ordinal);

    public static string RouteIdFor(string server) => "federation/" + server;

    public static string RouteIdFor(string server, string upstreamToolName) => $"federation/{server}/{upstreamToolName}";
}
