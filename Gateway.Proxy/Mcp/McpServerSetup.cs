using System.Security.Claims;
using System.Text.Json.Nodes;
using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// The SDK server's options: tools, listed from the catalog per caller and called through the dispatcher, and the
/// federated upstreams' resources, prompts and completions (<see cref="FederatedPrimitiveRequests"/>). Applies to every
/// server the SDK starts (<c>MapMcp</c>) and to the legacy SSE connections.
/// </summary>
public sealed class McpServerSetup : IConfigureOptions<McpServerOptions>
{
    /// <summary>
    /// Key in <see cref="JsonRpcMessageContext.Items"/> holding the HttpContext a call runs for, where the ambient one
    /// (<see cref="IHttpContextAccessor"/>) is not the caller's: legacy SSE answers on the opener's stream.
    /// </summary>
    public const string HttpContextItem = "Gateway.HttpContext";

    private readonly ToolCatalogHolder _catalog;
    private readonly IToolVisibility _visibility;
    private readonly McpToolCalls _toolCalls;
    private readonly ToolListDecorations _decorations;
    private readonly IHttpContextAccessor _httpContext;
    private readonly ServerInstructions _instructions;
    private readonly FederatedPrimitiveRequests _primitives;
    private readonly ResourceSubscriptions _subscriptions;
    private readonly ListenStreams _listens;
    private readonly bool _stateful;

    public McpServerSetup(ToolCatalogHolder catalog, IToolVisibility visibility, McpToolCalls toolCalls, ToolListDecorations decorations,
        IHttpContextAccessor httpContext, ServerInstructions instructions, FederatedPrimitiveRequests primitives, ResourceSubscriptions subscriptions,
        ListenStreams listens, IOptions<McpOptions> options)
    {
        _listens = listens;
        _primitives = primitives;
        _subscriptions = subscriptions;
        _stateful = options.Value.Stateful;
        _instructions = instructions;
        _catalog = catalog;
        _visibility = visibility;
        _toolCalls = toolCalls;
        _decorations = decorations;
        _httpContext = httpContext;
    }

    public void Configure(McpServerOptions options)
    {
        options.ServerInfo = new Implementation { Name = "mcp-gateway", Title = "MCP Gateway", Version = GatewayBuildInfo.Current.Version };
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Tools = new ToolsCapability { ListChanged = true };
        options.ScopeRequests = false;
        options.ServerInstructions = _instructions.Current;
        options.Handlers.ListToolsHandler = ListToolsAsync;
        options.Handlers.CallToolHandler = CallToolAsync;

        // Declared whether or not routes.json federates anything yet (upstreams come and go with reloads, the
        // capabilities are fixed per session): without upstreams the lists are empty. resources/subscribe needs sessions;
        // 2026-07-28 servers declare subscribe for subscriptions/listen (McpTransportSetup).
        options.Capabilities.Resources = new ResourcesCapability { Subscribe = _stateful ? true : null, ListChanged = true };
        options.Capabilities.Prompts = new PromptsCapability { ListChanged = true };
        options.Capabilities.Completions = new CompletionsCapability();
        options.Handlers.ListResourcesHandler = (request, _) => new ValueTask<ListResourcesResult>(_primitives.ListResourcesAsync(Caller(request)));
        options.Handlers.ListResourceTemplatesHandler = (request, _) => new ValueTask<ListResourceTemplatesResult>(_primitives.ListResourceTemplatesAsync(Caller(request)));
        options.Handlers.ReadResourceHandler = (request, ct) => new ValueTask<ReadResourceResult>(_primitives.ReadResourceAsync(Caller(request), request.Params?.Uri, ct));
        options.Handlers.ListPromptsHandler = (request, _) => new ValueTask<ListPromptsResult>(_primitives.ListPromptsAsync(Caller(request)));
        options.Handlers.GetPromptHandler = (request, ct) => new ValueTask<GetPromptResult>(_primitives.GetPromptAsync(Caller(request), request.Params, ct));
        options.Handlers.CompleteHandler = (request, ct) => new ValueTask<CompleteResult>(_primitives.CompleteAsync(Caller(request), request.Params, ct));
        options.Handlers.SubscribeToResourcesHandler = async (request, ct) =>
        {
            await _subscriptions.SubscribeAsync(Caller(request), request.Server, request.Params?.Uri, ct);
            return new EmptyResult();
        };
        options.Handlers.UnsubscribeFromResourcesHandler = async (request, ct) =>
        {
            await _subscriptions.UnsubscribeAsync(request.Server, request.Params?.Uri, ct);
            return new EmptyResult();
        };
        options.Handlers.SubscriptionsListenHandler = (request, ct) => _listens.ListenAsync(Caller(request), request, ct);
    }

    private HttpContext Caller<TParams>(RequestContext<TParams> request) => CallerOf(request.JsonRpcRequest)
        ?? throw new McpProtocolException("The gateway could not associate this request with an HTTP request.", McpErrorCode.InternalError);

    private async ValueTask<ListToolsResult> ListToolsAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken)
    {
        var user = CallerOf(request.JsonRpcRequest)?.User ?? new ClaimsPrincipal();
        var tools = new List<Tool>();
        foreach (var tool in _catalog.Current.Tools)
        {
            if (await _visibility.IsVisibleAsync(user, tool) && _decorations.Apply(tool) is { } listed)
            {
                tools.Add(listed);
            }
        }

        return new ListToolsResult { Tools = tools };
    }

    private ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var http = CallerOf(request.JsonRpcRequest)
            ?? throw new McpProtocolException("The gateway could not associate this call with an HTTP request.", McpErrorCode.InternalError);
        var parameters = request.Params ?? throw new McpProtocolException("tools/call requires params with a 'name'.", McpErrorCode.InvalidParams);
        var arguments = (request.JsonRpcRequest.Params as JsonObject)?["arguments"];
        new Federation.Relay.DownstreamRequest(request.Server, parameters.ProgressToken, request.JsonRpcRequest.Context).AttachTo(http);
        if (!http.RequestAborted.CanBeCanceled || cancellationToken == http.RequestAborted)
        {
            return new ValueTask<CallToolResult>(_toolCalls.CallAsync(http, parameters.Name, arguments, cancellationToken));
        }

        return CallUntilAbortedAsync(http, parameters.Name, arguments, cancellationToken);
    }

    // A stateful session's handler runs until notifications/cancelled, but a client may give up by closing the request
    // instead (the C# SDK's does); with no event store to resume from, its answer could never be delivered, so the
    // call (and a federated call's upstream request) is cancelled either way.
    private async ValueTask<CallToolResult> CallUntilAbortedAsync(HttpContext http, string name, JsonNode? arguments, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, http.RequestAborted);
        return await _toolCalls.CallAsync(http, name, arguments, either.Token);
    }

    private HttpContext? CallerOf(JsonRpcRequest request) =>
        request.Context?.Items is { } items && items.TryGetValue(HttpContextItem, out var value) && value is HttpContext detached
            ? detached
            : _httpContext.HttpContext;
}
