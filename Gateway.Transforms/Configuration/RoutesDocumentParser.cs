using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Transforms.Federation;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Configuration;

/// <summary>
/// Parses routes.json. YARP's own sections (<c>ReverseProxy.Routes</c>, <c>ReverseProxy.Clusters</c>) keep their
/// documented shape; a route may add a <c>Tool</c> object whose schemas are real JSON, which is why the file is read
/// with System.Text.Json rather than flattened through IConfiguration (that would turn numbers and booleans in a
/// schema into strings and drop empty arrays).
/// </summary>
public static class RoutesDocumentParser
{
    public const string ToolRoutePathPrefix = "/_gateway/tools/";

    /// <summary>The path YARP matches a tool route on when it declares none of its own.</summary>
    public static string ToolRoutePath(string routeId) => ToolRoutePathPrefix + Uri.EscapeDataString(routeId);
    public const string ToolMetadataKey = "Gateway.Tool";

    private const string ToolProperty = "Tool";

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    private static readonly HashSet<string> s_toolKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Name", "Title", "Description", "Annotations", "InputSchema", "OutputSchema",
    };

    public static RoutesDocument? Parse(ReadOnlyMemory<byte> json, List<string> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_documentOptions);
        }
        catch (JsonException ex)
        {
            // JsonException counts lines and bytes from 0; editors count from 1.
            var at = ex.LineNumber is { } line ? $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "";
            errors.Add($"routes.json is not valid JSON{at}: {CoreMessage(ex.Message)}");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !TryGetProperty(document.RootElement, "ReverseProxy", out var proxy)
                || proxy.ValueKind != JsonValueKind.Object)
            {
                errors.Add("routes.json must be an object with a 'ReverseProxy' section holding 'Routes' and 'Clusters'");
                return null;
            }

            var routes = new List<RouteConfig>();
            var tools = new List<ToolDeclaration>();
            var clusters = new List<ClusterConfig>();

            if (TryGetProperty(proxy, "Routes", out var routesElement))
            {
                if (routesElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add("'ReverseProxy.Routes' must be an object keyed by route id");
                }
                else
                {
                    foreach (var route in routesElement.EnumerateObject())
                    {
                        ParseRoute(route.Name, route.Value, routes, tools, errors);
                    }
                }
            }

            if (TryGetProperty(proxy, "Clusters", out var clustersElement))
            {
                if (clustersElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add("'ReverseProxy.Clusters' must be an object keyed by cluster id");
                }
                else
                {
                    foreach (var cluster in clustersElement.EnumerateObject())
                    {
                        ParseCluster(cluster.Name, cluster.Value, clusters, errors);
                    }
                }
            }

            foreach (var property in proxy.EnumerateObject())
            {
                if (!property.NameEquals("Routes") && !property.NameEquals("Clusters")
                    && !string.Equals(property.Name, "Routes", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(property.Name, "Clusters", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"'ReverseProxy.{property.Name}' is not a known section; use 'Routes' and 'Clusters'");
                }
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!string.Equals(property.Name, "ReverseProxy", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(property.Name, FederationSectionParser.SectionName, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"'{property.Name}' is not a known section of routes.json; use 'ReverseProxy' and '{FederationSectionParser.SectionName}'");
                }
            }

            var upstreams = TryGetProperty(document.RootElement, FederationSectionParser.SectionName, out var federation)
                ? FederationSectionParser.Parse(federation, errors)
                : [];
            return new RoutesDocument(routes, clusters, tools) { Upstreams = upstreams };
        }
    }

    private static void ParseRoute(string routeId, JsonElement element, List<RouteConfig> routes, List<ToolDeclaration> tools, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"Route '{routeId}': must be a JSON object");
            return;
        }

        var node = JsonNode.Parse(element.GetRawText(), documentOptions: s_documentOptions)!.AsObject();
        JsonNode? toolNode = null;
        foreach (var (key, value) in node.ToArray())
        {
            if (string.Equals(key, ToolProperty, StringComparison.OrdinalIgnoreCase))
            {
                toolNode = value;
                node.Remove(key);
            }
        }

        RouteConfig? route;
        try
        {
            route = node.Deserialize(YarpConfigJsonContext.Default.RouteConfig);
        }
        catch (JsonException ex)
        {
            errors.Add($"Route '{routeId}': {Describe(ex)}");
            return;
        }
        catch (NotSupportedException ex)
        {
            errors.Add($"Route '{routeId}': {ex.Message}");
            return;
        }

        if (route is null)
        {
            errors.Add($"Route '{routeId}': must be a JSON object");
            return;
        }

        route = route with { RouteId = routeId };

        if (toolNode is not null)
        {
            // A route with a Tool object is a tool route even when the object has a mistake: its error is reported once,
            // here, instead of again as a missing Match or a McpToolRequest transform without a Tool.
            var declaration = ParseTool(routeId, toolNode, errors);
            if (declaration is not null)
            {
                tools.Add(declaration);
            }

            var metadata = new Dictionary<string, string>(route.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
            {
                [ToolMetadataKey] = declaration?.Name ?? routeId,
            };

            // Tool routes are reached through /mcp and /tools/call, never by their own URL; YARP still needs a match.
            var match = route.Match?.Path is null && route.Match?.Hosts is null
                ? new RouteMatch { Path = ToolRoutePath(routeId) }
                : route.Match;
            route = route with { Metadata = metadata, Match = match! };
        }

        routes.Add(route);
    }

    private static ToolDeclaration? ParseTool(string routeId, JsonNode toolNode, List<string> errors)
    {
        if (toolNode is not JsonObject tool)
        {
            errors.Add($"Route '{routeId}': 'Tool' must be a JSON object with Name, Description and InputSchema");
            return null;
        }

        var errorCount = errors.Count;
        foreach (var (key, _) in tool)
        {
            if (!s_toolKeys.Contains(key))
            {
                errors.Add($"Route '{routeId}': unknown key 'Tool.{key}'; allowed: {string.Join(", ", s_toolKeys)}");
            }
        }

        var name = ReadString(tool, "Name", routeId, errors) ?? routeId;
        var title = ReadString(tool, "Title", routeId, errors);
        var description = ReadString(tool, "Description", routeId, errors);
        if (string.IsNullOrWhiteSpace(description))
        {
            errors.Add($"Route '{routeId}': 'Tool.Description' is required; models choose tools by their description");
        }

        ToolAnnotations? annotations = null;
        if (Find(tool, "Annotations") is { } annotationsNode)
        {
            try
            {
                annotations = annotationsNode.Deserialize(ProtocolJson.ToolAnnotations);
            }
            catch (JsonException ex)
            {
                errors.Add($"Route '{routeId}': 'Tool.Annotations' is invalid: {Describe(ex)}");
            }
        }

        var inputSchemaNode = Find(tool, "InputSchema");
        if (inputSchemaNode is null)
        {
            errors.Add($"Route '{routeId}': 'Tool.InputSchema' is required (a JSON Schema object, e.g. {{\"type\":\"object\",\"properties\":{{}}}})");
        }
        else if (inputSchemaNode is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            errors.Add($"Route '{routeId}': 'Tool.InputSchema' must be a JSON object, not an escaped string");
        }

        var outputSchemaNode = Find(tool, "OutputSchema");
        if (errors.Count > errorCount)
        {
            return null;
        }

        return new ToolDeclaration(
            routeId,
            name,
            title,
            description,
            annotations,
            ToElement(inputSchemaNode!),
            outputSchemaNode is null ? null : ToElement(outputSchemaNode));
    }

    private static void ParseCluster(string clusterId, JsonElement element, List<ClusterConfig> clusters, List<string> errors)
    {
        try
        {
            var cluster = element.Deserialize(YarpConfigJsonContext.Default.ClusterConfig);
            if (cluster is null)
            {
                errors.Add($"Cluster '{clusterId}': must be a JSON object");
                return;
            }

            clusters.Add(cluster with { ClusterId = clusterId });
        }
        catch (JsonException ex)
        {
            errors.Add($"Cluster '{clusterId}': {Describe(ex)}");
        }
        catch (NotSupportedException ex)
        {
            errors.Add($"Cluster '{clusterId}': {ex.Message}");
        }
    }

    private static string? ReadString(JsonObject tool, string key, string routeId, List<string> errors)
    {
        var node = Find(tool, key);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        errors.Add($"Route '{routeId}': 'Tool.{key}' must be a string");
        return null;
    }

    private static JsonNode? Find(JsonObject obj, string key)
    {
        foreach (var (k, v) in obj)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    private static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node, ProtocolJson.Node);

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Describe(JsonException ex)
    {
        var core = CoreMessage(ex.Message);
        return ex.Path is { Length: > 1 } path ? $"{core} (at {path})" : core;
    }

    /// <summary>The message without System.Text.Json's own (0-based) position suffix.</summary>
    private static string CoreMessage(string message)
    {
        foreach (var marker in (ReadOnlySpan<string>)[" Path:", " LineNumber:"])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd(' ', '|');
    }

    private static class ProtocolJson
    {
        public static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<ToolAnnotations> ToolAnnotations =
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ToolAnnotations>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ToolAnnotations));

        public static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonNode> Node =
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonNode>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonNode));
    }
}
