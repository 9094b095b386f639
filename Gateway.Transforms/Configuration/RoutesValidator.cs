using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Schema;
using Gateway.Transforms.Transforms;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Configuration;

/// <summary>
/// Checks a parsed routes.json as a whole and reports every problem, each naming its route or cluster:
/// YARP's own route and cluster validation (which includes every transform factory), plus the gateway's rules
/// for tools.
/// </summary>
public sealed class RoutesValidator
{
    private const int MaxToolNameLength = 128;

    private readonly IConfigValidator _yarpValidator;
    private readonly Func<string, string?> _environment;

    /// <param name="environment">Reads an environment variable (upstream credentials); the process environment by default.</param>
    public RoutesValidator(IConfigValidator yarpValidator, Func<string, string?>? environment = null)
    {
        _yarpValidator = yarpValidator;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public async ValueTask<ValidatedRoutes?> ValidateAsync(RoutesDocument document, long generation, List<string> errors)
    {
        var firstError = errors.Count;
        var clusterIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in document.Clusters)
        {
            clusterIds.Add(cluster.ClusterId);
            foreach (var error in await _yarpValidator.ValidateClusterAsync(cluster))
            {
                errors.Add(Prefixed($"Cluster '{cluster.ClusterId}'", error.Message));
            }
        }

        var toolsByRoute = document.Tools.ToDictionary(t => t.RouteId, StringComparer.OrdinalIgnoreCase);
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var definitions = new List<ToolDefinition>();

        foreach (var route in document.Routes)
        {
            foreach (var error in await _yarpValidator.ValidateRouteAsync(route))
            {
                errors.Add(Prefixed($"Route '{route.RouteId}'", error.Message));
            }

            if (route.ClusterId is null || !clusterIds.Contains(route.ClusterId))
            {
                errors.Add($"Route '{route.RouteId}': cluster '{route.ClusterId}' is not declared in 'ReverseProxy.Clusters'");
            }

            var requestTransforms = route.Transforms?
                .Where(t => t.ContainsKey(McpToolRequestTransformFactory.RequestKey))
                .ToList() ?? [];

            toolsByRoute.TryGetValue(route.RouteId, out var declaration);
            if (declaration is null)
            {
                if (requestTransforms.Count > 0 && route.Metadata?.ContainsKey(RoutesDocumentParser.ToolMetadataKey) != true)
                {
                    errors.Add($"Route '{route.RouteId}': has a {McpToolRequestTransformFactory.RequestKey} transform but no 'Tool' declaration");
                }

                continue;
            }

            if (requestTransforms.Count != 1)
            {
                errors.Add($"Route '{route.RouteId}': a tool route needs exactly one {McpToolRequestTransformFactory.RequestKey} transform " +
                    $"(found {requestTransforms.Count}), e.g. {{ \"{McpToolRequestTransformFactory.RequestKey}\": \"POST /v1/search\" }}");
            }

            if (!IsValidToolName(declaration.Name))
            {
                errors.Add($"Route '{route.RouteId}': tool name '{declaration.Name}' is invalid; use 1-{MaxToolNameLength} characters from A-Z, a-z, 0-9, '_', '-', '.'");
            }
            else if (toolNames.TryGetValue(declaration.Name, out var otherRoute))
            {
                errors.Add($"Route '{route.RouteId}': tool name '{declaration.Name}' is already used by route '{otherRoute}'; tool names must be unique");
            }
            else
            {
                toolNames.Add(declaration.Name, route.RouteId);
            }

            var inputSchema = ToolSchema.Compile(declaration.InputSchema, out var inputErrors);
            foreach (var error in inputErrors)
            {
                errors.Add($"Route '{route.RouteId}': Tool.{error}");
            }

            ToolSchema? outputSchema = null;
            if (declaration.OutputSchema is { } output)
            {
                outputSchema = ToolSchema.Compile(output, ToolSchemaRole.Output, out var outputErrors);
                foreach (var error in outputErrors)
                {
                    errors.Add($"Route '{route.RouteId}': Tool.{error}");
                }
            }

            var request = requestTransforms.Count == 1 ? CheckTemplateArguments(route.RouteId, declaration, requestTransforms[0], errors) : null;

            definitions.Add(new ToolDefinition(
                declaration.Name,
                route.RouteId,
                route.ClusterId ?? string.Empty,
                inputSchema,
                outputSchema,
                new Tool
                {
                    Name = declaration.Name,
                    Title = declaration.Title,
                    Description = declaration.Description,
                    Annotations = declaration.Annotations,
                    InputSchema = inputSchema.Source,
                    OutputSchema = outputSchema?.Source,
                })
            {
                Request = request,
                AuthorizationPolicy = route.AuthorizationPolicy,
            });
        }

        var routeIds = document.Routes.Select(r => r.RouteId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var upstreams = FederationValidator.Validate(document.Upstreams, clusterIds, routeIds, toolNames, _environment, errors);
        var routes = document.Routes.ToList();
        foreach (var upstream in upstreams)
        {
            foreach (var route in upstream.Routes)
            {
                foreach (var error in await _yarpValidator.ValidateRouteAsync(route))
                {
                    errors.Add($"Upstream '{upstream.Server}': {error.Message}");
                }

                routes.Add(route);
            }
        }

        if (errors.Count > firstError)
        {
            return null;
        }

        return new ValidatedRoutes(routes, document.Clusters, new ToolCatalog(definitions, generation)) { Upstreams = upstreams };
    }

    private static RestRequestTemplate? CheckTemplateArguments(string routeId, ToolDeclaration declaration, IReadOnlyDictionary<string, string> transform, List<string> errors)
    {
        var parseErrors = new List<string>();
        var template = McpToolRequestTransformFactory.Parse(transform[McpToolRequestTransformFactory.RequestKey], transform, parseErrors);
        if (template is null || !declaration.InputSchema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return template;
        }

        foreach (var argument in template.ReferencedArguments.Distinct(StringComparer.Ordinal))
        {
            if (!properties.TryGetProperty(argument, out _))
            {
                errors.Add($"Route '{routeId}': {McpToolRequestTransformFactory.RequestKey} uses argument '{argument}' that Tool.InputSchema does not declare in 'properties'");
            }
        }

        return template;
    }

    private static bool IsValidToolName(string name)
    {
        if (name.Length is 0 or > MaxToolNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Prefixed(string owner, string message) =>
        message.Contains(owner, StringComparison.OrdinalIgnoreCase) ? message : $"{owner}: {message}";
}
