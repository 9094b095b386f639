using System.Reflection;
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

    private static readonly string s_version =
        typeof(McpServerOptionsFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly McpRequestHandler<ListToolsRequestParams, ListToolsResult> _listTools;
    private readonly McpRequestHandler<CallToolRequestParams, CallToolResult> _callTool;

    public McpServerOptionsFactory(ToolCatalogHolder catalog, IToolVisibility visibility, ToolCallDispatcher dispatcher, ToolListDecorations decorations)
    {
        _listTools = (request, _) =>
        {
            var user = HttpContextOf(request.JsonRpcRequest)?.User ?? new System.Security.Claims.ClaimsPrincipal();
            var tools = new List<Tool>();
            foreach (var tool in catalog.Current.Tools)
            {
                if (visibility.IsVisible(user, tool) && decorations.Apply(tool) is { } listed)
                {
                    tools.Add(listed);
                }
            }

            return ValueTask.FromResult(new ListToolsResult { Tools = tools });
        };

        _callTool = async (request, cancellationToken) =>
        {
            var http = HttpContextOf(request.JsonRpcRequest)
                ?? throw new McpProtocolException("The gateway could not associate this call with an HTTP request.", McpErrorCode.InternalError);
            var parameters = request.Params ?? throw new McpProtocolException("tools/call requires params with a 'name'.", McpErrorCode.InvalidParams);
            var arguments = request.JsonRpcRequest.Params is System.Text.Json.Nodes.JsonObject p && p["arguments"] is { } a
                ? System.Text.Json.JsonSerializer.SerializeToElement(a, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(System.Text.Json.Nodes.JsonNode)))
                : default;

            var outcome = await dispatcher.CallAsync(http, parameters.Name, arguments, "mcp", cancellationToken);
            if (outcome.Rejection is { } rejection)
            {
                if (rejection.Kind == RejectionKind.ProtocolError)
                {
                    throw ToProtocolException(rejection, McpErrorCode.InvalidParams);
                }

                if (rejection.Data is not null && rejection.Code is GatewayErrorCodes.RateLimited or GatewayErrorCodes.Unauthorized or GatewayErrorCodes.Forbidden)
                {
                    // Callers must be able to read when to retry or which scope is missing: a JSON-RPC error carries data.
                    throw ToProtocolException(rejection, (McpErrorCode)(-32000));
                }

                return ToolResultMapper.FromRejection(rejection);
            }

            return outcome.Result!;
        };
    }

    public McpServerOptions Create() => new()
    {
        ServerInfo = new Implementation { Name = "mcp-gateway", Title = "MCP Gateway", Version = s_version },
        Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } },
        ScopeRequests = false,
        Handlers = new McpServerHandlers
        {
            ListToolsHandler = _listTools,
            CallToolHandler = _callTool,
        },
    };

    internal static HttpContext? HttpContextOf(JsonRpcRequest request) =>
        request.Context?.Items is { } items && items.TryGetValue(HttpContextItem, out var value) ? value as HttpContext : null;

    private static McpProtocolException ToProtocolException(GatewayRejection rejection, McpErrorCode code)
    {
        var exception = new McpProtocolException(rejection.Message, code);
        exception.Data["code"] = rejection.Code;
        if (rejection.Data is not null)
        {
            foreach (var (key, value) in rejection.Data)
            {
                exception.Data[key] = value;
            }
        }

        return exception;
    }
}
