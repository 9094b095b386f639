using Gateway.Transforms.Configuration;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Schema;
using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Catalog;

/// <summary>
/// One MCP tool: what clients see in <c>tools/list</c>, and the YARP route whose policy decides its calls. A REST
/// tool is declared by a route in routes.json and forwarded through it; a federated tool comes from an upstream MCP
/// server's <c>tools/list</c> and is called there.
/// </summary>
public sealed class ToolDefinition
{
    public ToolDefinition(string name, string routeId, string clusterId, ToolSchema inputSchema, ToolSchema? outputSchema, Tool protocolTool)
    {
        Name = name;
        RouteId = routeId;
        RoutePath = RoutesDocumentParser.ToolRoutePath(routeId);
        ClusterId = clusterId;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        ProtocolTool = protocolTool;
    }

    public string Name { get; }

    public string RouteId { get; }

    public string ClusterId { get; }

    /// <summary>The path of the exchange that carries a call of this tool through its route (kept so no call builds it).</summary>
    public string RoutePath { get; }

    public ToolSchema InputSchema { get; }

    public ToolSchema? OutputSchema { get; }

    /// <summary>The immutable MCP description served by <c>tools/list</c>; never mutate it.</summary>
    public Tool ProtocolTool { get; }

    /// <summary>The REST request the tool's route declares (its <c>McpToolRequest</c> transform); null only in tests.</summary>
    public RestRequestTemplate? Request { get; init; }

    /// <summary>For a federated tool: the upstream server and the tool's name there; null for a REST tool.</summary>
    public UpstreamToolTarget? Upstream { get; init; }

    /// <summary>The route's YARP AuthorizationPolicy (an ASP.NET authorization policy name), if it sets one.</summary>
    public string? AuthorizationPolicy { get; init; }

    /// <summary>Safe to repeat: the tool declares it only reads or is idempotent.</summary>
    public bool IsRetrySafe => ProtocolTool.Annotations is { } a && (a.ReadOnlyHint == true || a.IdempotentHint == true);
}
