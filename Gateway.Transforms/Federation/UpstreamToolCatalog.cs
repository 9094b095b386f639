using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Schema;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Federation;

/// <summary>
/// Turns an upstream's <c>tools/list</c> into catalog entries: filtered (Include/Exclude), renamed, with the configured
/// overrides, and each tool's inputSchema compiled so the call pipeline checks arguments before the upstream sees them.
/// </summary>
public static class UpstreamToolCatalog
{
    private static readonly JsonTypeInfo<Tool> s_toolType = (JsonTypeInfo<Tool>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool));
    private static readonly JsonTypeInfo<ToolAnnotations> s_annotationsType = (JsonTypeInfo<ToolAnnotations>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ToolAnnotations));

    /// <param name="problems">Tools left out and why (a schema the gateway cannot enforce, an invalid or repeated name).</param>
    public static IReadOnlyList<ToolDefinition> Build(UpstreamDefinition upstream, IEnumerable<Tool> upstreamTools, List<string> problems)
    {
        var definitions = new List<ToolDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in upstreamTools)
        {
            if (!upstream.Filter.Allows(tool.Name))
            {
                continue;
            }

            var configured = upstream.OverrideFor(tool.Name);
            var name = configured?.Name ?? upstream.Names.Expose(tool.Name);
            if (!UpstreamToolNames.IsValidToolName(name))
            {
                problems.Add($"tool '{tool.Name}' is left out: its gateway name '{name}' is not a valid tool name (1-128 of A-Z, a-z, 0-9, '_', '-', '.'); set 'Tools.{tool.Name}.Name'");
                continue;
            }

            if (!names.Add(name))
            {
                problems.Add($"tool '{tool.Name}' is left out: the gateway name '{name}' is already taken by another of this upstream's tools");
                continue;
            }

            var inputSchema = ToolSchema.Compile(tool.InputSchema, out var schemaErrors);
            if (schemaErrors.Count > 0)
            {
                // Arguments that cannot be checked are never passed on unchecked.
                problems.Add($"tool '{tool.Name}' is left out: the gateway cannot enforce its inputSchema ({string.Join("; ", schemaErrors)})");
                continue;
            }

            var route = upstream.RouteFor(tool.Name);
            definitions.Add(new ToolDefinition(name, route.RouteId, upstream.ClusterId, inputSchema, null, Present(tool, name, configured))
            {
                AuthorizationPolicy = route.AuthorizationPolicy,
                Upstream = new UpstreamToolTarget(upstream.Server, tool.Name),
            });
        }

        return definitions;
    }

    /// <summary>The upstream's description as the gateway lists it: a copy (every property the SDK knows) under its gateway name.</summary>
    private static Tool Present(Tool tool, string name, UpstreamToolOverride? configured)
    {
        var node = JsonSerializer.SerializeToNode(tool, s_toolType)!.AsObject();
        node["name"] = name;
        if (configured?.Title is { } title)
        {
            node["title"] = title;
        }

        if (configured?.Description is { } description)
        {
            node["description"] = description;
        }

        if (configured?.Annotations is { } annotations)
        {
            node["annotations"] = JsonSerializer.SerializeToNode(annotations, s_annotationsType);
        }

        return node.Deserialize(s_toolType)!;
    }
}
