using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Builds the SDK server options: tools only, listed from the catalog and called through the dispatcher.
/// The handler delegates are created once; each server gets a fresh options object because the SDK may fill
/// options in while it starts.
/// </summary>
public sealed class McpServerOptionsFactory
{
    /// <summary>Key in <see cref="JsonRpcMessageContext.Items"/> holding the HttpContext the call runs for.</summary>
    public const string HttpContextItem = "Gateway.HttpContext";

    private readonly McpRequestHandler<ListToolsRequestParams, ListToolsResult> _listTools;
    private readonly McpRequestHandler<CallToolRequestParams, CallToolResult> _callTool;

    private readonly ServerInstructions _instructions;

    public McpServerOptionsFactory(ToolCatalogHolder catalog, IToolVisibility visibility, McpToolCalls toolCalls, ToolListDecorations decorations, ServerInstructions instructions)
    {
        _instructions = instructions;
        _listTools = async (request, _) =>
        {
            var user = HttpContextOf(request.JsonRpcRequest)?.User ?? new System.Security.Claims.ClaimsPrincipal();
            var tools = new List<Tool>();
            foreach (var tool in catalog.Current.Tools)
            {
                if (await visibility.IsVisibleAsync(user, tool) && decorations.Apply(tool) is { } listed)
                {
                    tools.Add(listed);
                }
            }

            return new ListToolsResult { Tools = tools };
        };

        _callTool = (request, cancellationToken) =>
        {
            var http = HttpContextOf(request.JsonRpcRequest)
                ?? throw new McpProtocolException("The gateway could not associate this call with an HTTP request.", McpErrorCode.InternalError);
            var parameters = request.Params ?? throw new McpProtocolException("tools/call requires params with a 'name'.", McpErrorCode.InvalidParams);
            var arguments = (request.JsonRpcRequest.Params as System.Text.Json.Nodes.JsonObject)?["arguments"];
            return new ValueTask<CallToolResult>(toolCalls.CallAsync(http, parameters.Name, arguments, cancellationToken));
        };
    }

    public McpServerOptions Create() => new()
    {
        ServerInfo = new Implementation { Name = "mcp-gateway", Title = "MCP Gateway", Version = GatewayBuildInfo.Current.Version },
        Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } },
        ScopeRequests = false,
        ServerInstructions = _instructions.Current,
        Handlers = new McpServerHandlers
        {
            ListToolsHandler = _listTools,
            CallToolHandler = _callTool,
        },
    };

    internal static HttpContext? HttpContextOf(JsonRpcRequest request) =>
        request.Context?.Items is { } items && items.TryGetValue(HttpContextItem, out var value) ? value as HttpContext : null;
}
