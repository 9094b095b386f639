using Gateway.Transforms.Configuration;
using Gateway.Transforms.Validation.Cypher;
using Gateway.Transforms.Validation.Paths;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Federation;

/// <summary>
/// Checks the <c>Federation</c> section against the rest of routes.json (clusters, REST tool names, route ids) and
/// turns each upstream into an <see cref="UpstreamDefinition"/> with its hidden routes. The routes themselves are then
/// checked by YARP's validators like any route, so an unknown <c>RateLimiterPolicy</c> or a bad <c>ValidatePath</c>
/// entry is reported the same way as on a REST tool.
/// </summary>
public static class FederationValidator
{
    private static readonly string[] s_validatorKeys = [CypherValidationTransformFactory.ArgumentKey, PathValidationTransformFactory.ArgumentsKey];

    /// <param name="restTools">REST tool name → route id.</param>
    public static IReadOnlyList<UpstreamDefinition> Validate(
        IReadOnlyList<UpstreamDeclaration> upstreams,
        IReadOnlySet<string> clusterIds,
        IReadOnlySet<string> routeIds,
        IReadOnlyDictionary<string, string> restTools,
        Func<string, string?> environment,
        List<string> errors)
    {
        var definitions = new List<UpstreamDefinition>();
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        var explicitNames = new Dictionary<string, string>(StringComparer.Ordinal);
        CheckVerbatimResourceUris(upstreams, errors);
        foreach (var upstream in upstreams)
        {
            var owner = $"Upstream '{upstream.Server}'";
            var first = errors.Count;
            if (!UpstreamToolNames.IsValidNamespace(upstream.Server))
            {
                errors.Add($"{owner}: the server name must be 1-{UpstreamToolNames.MaxNamespaceLength} characters from A-Z, a-z, 0-9, '_', '-', '.'");
            }

            var network = upstream.Transport != UpstreamTransport.Stdio;
            if (network && !clusterIds.Contains(upstream.ClusterId))
            {
                errors.Add($"{owner}: cluster '{upstream.ClusterId}' is not declared in 'ReverseProxy.Clusters'; declare the server's destinations there");
            }

            CheckFilter(upstream, owner, errors);
            CheckCredential(upstream.Credential, owner, environment, errors);
            CheckNames(upstream, owner, prefixes, explicitNames, restTools, errors);

            // A Stdio upstream's routes have no cluster: its calls never go through YARP's forwarder.
            var routeCluster = network ? upstream.ClusterId : null;
            var route = CreateRoute(upstream.Server, UpstreamDefinition.RouteIdFor(upstream.Server), routeCluster, upstream.Policy, owner, errors);
            var toolRoutes = new Dictionary<string, RouteConfig>(StringComparer.Ordinal);
            foreach (var tool in upstream.Tools.Where(t => !t.Policy.IsEmpty))
            {
                toolRoutes[tool.UpstreamName] = CreateRoute(upstream.Server, UpstreamDefinition.RouteIdFor(upstream.Server, tool.UpstreamName),
                    routeCluster, tool.Policy.Over(upstream.Policy), $"{owner}, tool '{tool.UpstreamName}'", errors);
            }

            foreach (var id in toolRoutes.Values.Prepend(route).Select(r => r.RouteId).Where(routeIds.Contains))
            {
                errors.Add($"{owner}: route id '{id}' of 'ReverseProxy.Routes' is reserved for this upstream's tools; rename the route");
            }

            if (errors.Count == first)
            {
                definitions.Add(new UpstreamDefinition(upstream, route, toolRoutes));
            }
        }

        return definitions;
    }

    // Bare URIs go to the one upstream that keeps its URIs: with two, a URI both list would be ambiguous.
    private static void CheckVerbatimResourceUris(IReadOnlyList<UpstreamDeclaration> upstreams, List<string> errors)
    {
        var verbatim = upstreams.Where(u => u.ResourceUris == UpstreamResourceUris.Verbatim).Select(u => u.Server).ToList();
        if (verbatim.Count > 1)
        {
            errors.Add($"Upstreams {string.Join(", ", verbatim.Select(s => $"'{s}'"))}: 'Resources.Uris' is \"Verbatim\" on more than one upstream; at most one upstream may keep its own resource URIs (a URI without the mcp-gateway:// prefix is sent to it). Set \"Prefixed\" (or remove 'Resources') on all but one");
        }
    }

    private static void CheckFilter(UpstreamDeclaration upstream, string owner, List<string> errors)
    {
        foreach (var excluded in upstream.Exclude)
        {
            if (upstream.Include.Contains(excluded, StringComparer.Ordinal))
            {
                errors.Add($"{owner}: '{excluded}' is both in 'Include' and in 'Exclude'; keep it in one of them");
            }
        }

        var filter = new UpstreamToolFilter(upstream.Include, upstream.Exclude);
        foreach (var tool in upstream.Tools)
        {
            if (!filter.Allows(tool.UpstreamName))
            {
                errors.Add($"{owner}: 'Tools' configures '{tool.UpstreamName}', which 'Include'/'Exclude' leave out; remove the entry or federate the tool");
            }
        }
    }

    private static void CheckCredential(UpstreamCredential credential, string owner, Func<string, string?> environment, List<string> errors)
    {
        if (credential.FromEnvironment is { } variable && string.IsNullOrEmpty(environment(variable)))
        {
            errors.Add($"{owner}: the credential's environment variable '{variable}' is not set (or empty); set it before starting the gateway");
        }

        if (credential.FromFile is { } path && !File.Exists(path))
        {
            errors.Add($"{owner}: the credential file '{path}' does not exist");
        }
    }

    private static void CheckNames(
        UpstreamDeclaration upstream,
        string owner,
        Dictionary<string, string> prefixes,
        Dictionary<string, string> explicitNames,
        IReadOnlyDictionary<string, string> restTools,
        List<string> errors)
    {
        var names = new UpstreamToolNames(upstream.Namespace, upstream.Separator);
        if (names.Prefix.Length > 0)
        {
            foreach (var (prefix, other) in prefixes)
            {
                if (prefix.StartsWith(names.Prefix, StringComparison.Ordinal) || names.Prefix.StartsWith(prefix, StringComparison.Ordinal))
                {
                    errors.Add($"{owner}: tool names starting '{names.Prefix}' could collide with upstream '{other}''s ('{prefix}'); give each upstream its own 'ToolNames.Namespace'");
                }
            }

            prefixes[names.Prefix] = upstream.Server;
            foreach (var (tool, route) in restTools)
            {
                if (tool.StartsWith(names.Prefix, StringComparison.Ordinal))
                {
                    errors.Add($"{owner}: REST tool '{tool}' (route '{route}') uses this upstream's tool name prefix '{names.Prefix}'; rename the tool or change 'ToolNames'");
                }
            }
        }

        foreach (var tool in upstream.Tools)
        {
            var exposed = tool.Name ?? names.Expose(tool.UpstreamName);
            if (tool.Name is not null && !UpstreamToolNames.IsValidToolName(tool.Name))
            {
                errors.Add($"{owner}, tool '{tool.UpstreamName}': name '{tool.Name}' is invalid; use 1-128 characters from A-Z, a-z, 0-9, '_', '-', '.'");
            }

            if (restTools.TryGetValue(exposed, out var route))
            {
                errors.Add($"{owner}, tool '{tool.UpstreamName}': name '{exposed}' is already used by REST tool route '{route}'; tool names must be unique");
            }
            else if (explicitNames.TryGetValue(exposed, out var other))
            {
                errors.Add($"{owner}, tool '{tool.UpstreamName}': name '{exposed}' is already used by {other}; tool names must be unique");
            }
            else
            {
                explicitNames[exposed] = $"upstream '{upstream.Server}' tool '{tool.UpstreamName}'";
            }
        }
    }

    private static RouteConfig CreateRoute(string server, string routeId, string? clusterId, UpstreamRoutePolicy policy, string owner, List<string> errors)
    {
        foreach (var transform in policy.Transforms ?? [])
        {
            if (!transform.Keys.Any(k => s_validatorKeys.Contains(k, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"{owner}: 'Transforms' entry {{ {string.Join(", ", transform.Keys.Select(k => $"\"{k}\""))} }} does not apply to a federated tool; " +
                    $"only the validators {string.Join(" and ", s_validatorKeys)} run on its arguments");
            }
        }

        var metadata = new Dictionary<string, string>(policy.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
        {
            [RoutesDocumentParser.ToolMetadataKey] = server,
        };
        return new RouteConfig
        {
            RouteId = routeId,
            ClusterId = clusterId,
            AuthorizationPolicy = policy.AuthorizationPolicy,
            RateLimiterPolicy = policy.RateLimiterPolicy,
            Timeout = policy.Timeout,
            Metadata = metadata,
            Transforms = policy.Transforms,
            Match = new RouteMatch { Path = RoutesDocumentParser.ToolRoutePath(routeId) },
        };
    }
}
