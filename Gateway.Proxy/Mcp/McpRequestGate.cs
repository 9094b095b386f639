using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Security.Authorization;
using Microsoft.Extensions.Options;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// What /mcp enforces before the SDK's <c>MapMcp</c> handlers see a request, where the SDK has no equivalent or
/// answers less precisely: the body limit and strict JSON (duplicate keys, lone surrogates, depth) with JSON-RPC
/// errors, -32700 for unparseable bodies, 415, the list of supported versions, invalid params charged to the refusal
/// budget, session and stream caps per principal, and the stateless <c>tools/call</c> fast path. A message that
/// passes is handed on with the very bytes it was read from.
/// </summary>
public sealed class McpRequestGate
{
    private readonly McpToolCallFastPath _fastPath;
    private readonly McpStatefulSessions _sessions;
    private readonly McpCapacity _capacity;
    private readonly CallerIdentityResolver _callers;
    private readonly RefusalLimiter _refusals;
    private readonly McpOptions _options;

    public McpRequestGate(McpToolCallFastPath fastPath, McpStatefulSessions sessions, McpCapacity capacity, CallerIdentityResolver callers, RefusalLimiter refusals, IOptions<McpOptions> options)
    {
        _fastPath = fastPath;
        _sessions = sessions;
        _capacity = capacity;
        _callers = callers;
        _refusals = refusals;
        _options = options.Value;
    }

    /// <summary>Wraps each SDK endpoint's delegate.</summary>
    public RequestDelegate Wrap(RequestDelegate sdk) => context =>
        context.Request.Headers[McpHttpHeaders.SessionId].ToString() is { Length: > 0 } sessionId && !_sessions.MayUse(context, sessionId)
            ? JsonRpcErrors.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrors.ServerError, "Forbidden: this session belongs to another user.")
        : HttpMethods.IsPost(context.Request.Method) ? PostAsync(context, sdk)
        : HttpMethods.IsGet(context.Request.Method) ? GetAsync(context, sdk)
        : SdkAsync(context, sdk);

    private async Task PostAsync(HttpContext context, RequestDelegate sdk)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        if (!Accepts(accept, "application/json") || !Accepts(accept, "text/event-stream"))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status406NotAcceptable, JsonRpcErrors.ServerError,
                "Not Acceptable: the client must accept both application/json and text/event-stream.");
            return;
        }

        if (!IsJsonContentType(context.Request.ContentType))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, JsonRpcErrors.ServerError,
                "Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json.");
            return;
        }

        var protocolVersion = context.Request.Headers[McpHttpHeaders.ProtocolVersion].ToString();
        if (protocolVersion.Length > 0 && !McpProtocolVersions.IsSupported(protocolVersion))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                $"Bad Request: unsupported MCP-Protocol-Version. Supported: {string.Join(", ", McpProtocolVersions.StreamableHttp)}.",
                data: new Dictionary<string, object> { ["supported"] = McpProtocolVersions.StreamableHttp });
            return;
        }

        var perRequestMetadata = McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion);
        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        var fastPath = !_options.Stateful && !perRequestMetadata && sessionId.Length == 0 && _options.ToolCallFastPath;
        var read = await JsonRpcMessageReader.ReadAsync(context, _options.MaxRequestBodyBytes, fastPath);
        if (read.ToolCall is { } plainToolCall)
        {
            await _fastPath.RespondAsync(context, plainToolCall);
            return;
        }

        if (read.Message is not { } message)
        {
            await read.WriteErrorAsync(context);
            return;
        }

        if (JsonRpcMessageReader.InvalidParams(message) is { } paramsError)
        {
            await RefuseParamsAsync(context, message, paramsError);
            return;
        }

        if (fastPath && message is JsonRpcRequest { Method: RequestMethods.ToolsCall } toolCall && !AsksForProgress(toolCall))
        {
            await _fastPath.RespondAsync(context, toolCall);
            return;
        }

        if (_options.Stateful && !perRequestMetadata && sessionId.Length == 0 && message is JsonRpcRequest { Method: RequestMethods.Initialize } initialize)
        {
            var slot = _capacity.TryOpenSession(_callers.PartitionKey(context), McpTransports.StreamableHttp, out var refusal);
            if (slot is null)
            {
                await refusal!.WriteAsync(context, initialize.Id);
                return;
            }

            McpStatefulSessions.Offer(context, slot);
        }

        context.Request.Body = new MemoryStream(read.Body, writable: false);
        context.Request.ContentLength = read.Body.Length;
        try
        {
            await SdkAsync(context, sdk);
        }
        finally
        {
            McpStatefulSessions.ReleaseUnclaimed(context);
        }
    }

    private async Task GetAsync(HttpContext context, RequestDelegate sdk)
    {
        using var streamSlot = _capacity.TryOpenStream(_callers.PartitionKey(context), McpTransports.StreamableHttp, out var refusal);
        if (streamSlot is null)
        {
            await refusal!.WriteAsync(context);
            return;
        }

        await SdkAsync(context, sdk);
    }

    /// <summary>The SDK writes with fixed, HTML-safe serializer options; its answers get the fast path's escaping.</summary>
    private static Task SdkAsync(HttpContext context, RequestDelegate sdk)
    {
        context.Response.Body = new CompactJsonEscapingStream(context.Response.Body);
        return sdk(context);
    }

    private async Task RefuseParamsAsync(HttpContext context, JsonRpcMessage message, string paramsError)
    {
        // The SDK would report unreadable params as an internal error; they are the caller's invalid params, and a
        // refusal that costs from the caller's refusal budget.
        var requestId = message is JsonRpcRequest r ? r.Id : default;
        var status = requestId.Id is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        if (await _refusals.ChargeAsync(context) is { } limited)
        {
            var detail = McpToolCalls.ToErrorDetail(limited);
            await JsonRpcErrors.WriteAsync(context, status, detail.Code, detail.Message, requestId, detail.Data);
            return;
        }

        await JsonRpcErrors.WriteAsync(context, status, JsonRpcErrors.InvalidParams, paramsError, requestId);
    }

    // A call that asks for progress goes to the SDK, which answers on an event stream that can carry the notifications.
    private static bool AsksForProgress(JsonRpcRequest request) =>
        request.Params is JsonObject parameters && parameters["_meta"] is JsonObject meta && meta.ContainsKey("progressToken");

    internal static bool Accepts(IList<MediaTypeHeaderValue> accept, string mediaType)
    {
        foreach (var value in accept)
        {
            if (value.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) || value.MediaType.Equals("*/*", StringComparison.Ordinal))
            {
                return true;
            }

            var slash = mediaType.IndexOf('/');
            if (value.MatchesAllSubTypes && value.Type.Equals(mediaType[..slash], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsJsonContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
