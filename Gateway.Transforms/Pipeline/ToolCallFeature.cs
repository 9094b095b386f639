using System.Text.Json;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// Carried on the HttpContext of a tool call (MCP <c>tools/call</c> or the REST facade) while it runs through the
/// route's YARP pipeline. Transforms read the arguments from here; steps report rejections here.
/// </summary>
public sealed class ToolCallFeature
{
    private JsonElement _arguments;

    public ToolCallFeature(ToolDefinition tool, JsonElement arguments, string entryPoint)
    {
        Tool = tool;
        _arguments = arguments;
        EntryPoint = entryPoint;
    }

    public ToolDefinition Tool { get; }

    /// <summary>
    /// The call's arguments: always a JSON object (an empty one when the client sent none). Validating transforms may
    /// replace an argument with its canonical form (e.g. a resolved path), so the backend receives what was checked.
    /// </summary>
    public JsonElement Arguments
    {
        get => _arguments;
        set
        {
            _arguments = value;
            BoundRequest = null;
        }
    }

    /// <summary>
    /// The backend request's path, query and headers built from <see cref="Arguments"/> before resilience starts, so
    /// bad arguments are refused without touching the cluster's breaker. Replacing the arguments discards it.
    /// </summary>
    public BoundToolRequest? BoundRequest { get; set; }

    /// <summary><c>mcp</c> or <c>rest</c>.</summary>
    public string EntryPoint { get; }

    public GatewayRejection? Rejection { get; set; }

    /// <summary>
    /// Headers a step wants on the caller's own HTTP response (the /mcp or /tools/call response, not the synthetic one
    /// the call runs on), e.g. rate-limit state. The dispatcher copies them while that response has not started.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? CallerResponseHeaders { get; set; }
}
