using Gateway.Transforms.Mapping;
using Gateway.Transforms.Schema;
using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Catalog;

/// <summary>
/// One MCP tool as declared by a route in routes.json: what clients see in <c>tools/list</c>
/// and which YARP route carries its calls.
/// </summary>
public sealed class ToolDefinition
{
    public ToolDefinition(string name, string routeId, string clusterId, ToolSchema inputSchema, ToolSchema? outputSchema, Tool protocolTool)
    {
        Name = name;
        RouteId = routeId;
        ClusterId = clusterId;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        ProtocolTool = protocolTool;
    }

    public string Name { get; }

    public string RouteId { get; }

    public string ClusterId { get; }

    public ToolSchema InputSchema { get; }

    public ToolSchema? OutputSchema { get; }

    /// <summary>The immutable MCP description served by <c>tools/list</c>; never mutate it.</summary>
    public Tool ProtocolTool { get; }

    /// <summary>The REST request the tool's route declares (its <c>McpToolRequest</c> transform); null only in tests.</summary>
    public RestRequestTemplate? Request { get; init; }

    /// <summary>The route's YARP AuthorizationPolicy (an ASP.NET authorization policy name), if it sets one.</summary>
    public string? AuthorizationPolicy { get; init; }

    /// <summary>Safe to repeat: the tool declares it only reads or is idempotent.</summary>
    public bool IsRetrySafe => ProtocolTool.Annotations is { } a && (a.ReadOnlyHint == true || a.IdempotentHint == true);
}
