using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Catalog;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Resilience;

/// <summary>Hides or flags, per <see cref="ResilienceOptions.UnavailableTools"/>, tools whose cluster is unavailable.</summary>
public sealed class UnavailableToolDecorator : IToolListDecorator
{
    /// <summary>The <c>_meta</c> key set to <c>"unavailable"</c> on a flagged tool.</summary>
    public const string MetaKey = "mcp-gateway/availability";

    private static readonly JsonTypeInfo<Tool> s_toolType = (JsonTypeInfo<Tool>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool));

    private readonly ClusterAvailability _availability;
    private readonly UnavailableToolMode _mode;

    // Flagged copies live as long as the listed tool they were made from, so a long outage costs one copy per tool.
    private readonly ConditionalWeakTable<Tool, Tool> _flagged = new();

    public UnavailableToolDecorator(ClusterAvailability availability, IOptions<ResilienceOptions> options)
    {
        _availability = availability;
        _mode = options.Value.UnavailableTools;
    }

    public Tool? Decorate(ToolDefinition tool, Tool listed)
    {
        if (_availability.IsAvailable(tool.ClusterId))
        {
            return listed;
        }

        return _mode == UnavailableToolMode.Hide ? null : _flagged.GetValue(listed, original => Flag(original, tool.ClusterId));
    }

    private static Tool Flag(Tool original, string clusterId)
    {
        // A round trip copies every property the SDK knows, including ones added in later versions.
        var node = JsonSerializer.SerializeToNode(original, s_toolType)!.AsObject();
        node["description"] = $"{original.Description} [Currently unavailable: backend '{clusterId}' is failing or unreachable; calls fail fast until it recovers.]";
        var meta = node["_meta"] as JsonObject ?? new JsonObject();
        meta[MetaKey] = "unavailable";
        node["_meta"] = meta;
        return node.Deserialize(s_toolType)!;
    }
}
