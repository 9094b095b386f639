using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// The Streamable HTTP transport on /mcp, as thin glue over the SDK's <see cref="StreamableHttpServerTransport"/>:
/// every transport-level check the spec asks for (Accept, Content-Type, JSON-RPC shape, protocol version, 2026-07-28
/// header mirroring, Origin, sessions) happens here, with the spec's status codes and JSON-RPC error bodies.
/// </summary>
public sealed partial class StreamableHttpEndpoint
{
    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType = CompactJson.TypeInfo<JsonRpcMessage>();

    private static readonly JsonTypeInfo<CallToolResult> s_resultType = CompactJson.TypeInfo<CallToolResult>();

    private readonly McpServerOptionsFactory _serverOptions;
    private readonly McpToolCalls _toolCalls;
    private readonly McpSessionStore _sessions;
    private readonly McpCapacity _capacity;
    private readonly CallerIdentityResolver _callers;
    private readonly RefusalLimiter _refusals;
    private readonly McpOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public StreamableHttpEndpoint(
        McpServerOptionsFactory serverOptions,
        McpToolCalls toolCalls,
        McpSessionStore sessions,
        McpCapacity capacity,
        CallerIdentityResolver callers,
        RefusalLimiter refusals,
        IOptions<McpOptions> options,
        ILoggerFactory loggerFactory,
        IHostApplicationLifetime lifetime,
        IServiceProvider services)
    {
        _services = services;
        _logger = loggerFactory.CreateLogger<StreamableHttpEndpoint>();
        _serverOptions = serverOptions;
        _toolCalls = toolCalls;
        _sessions = sessions;
        _capacity = capacity;
        _callers = callers;
        _refusals = refusals;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _lifetime = lifetime;
    }

    public async Task HandlePostAsync(HttpContext context)
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

        var read = await JsonRpcMessageReader.ReadAsync(context, _options.MaxRequestBodyBytes);
        if (read.Message is not { } message)
        {
            await read.WriteErrorAsync(context);
            return;
        }

        var requestId = message is JsonRpcRequest r ? r.Id : default;
        if (JsonRpcMessageReader.InvalidParams(message) is { } paramsError)
        {
            // The SDK would report unreadable params as an internal error; they are the caller's invalid params, and a
            // refusal that costs from the caller's refusal budget.
            var status = requestId.Id is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
            if (await _refusals.ChargeAsync(context) is { } limited)
            {
                var detail = McpToolCalls.ToErrorDetail(limited);
                await JsonRpcErrors.WriteAsync(context, status, detail.Code, detail.Message, requestId, detail.Data);
                return;
            }

            await JsonRpcErrors.WriteAsync(context, status, JsonRpcErrors.InvalidParams, paramsError, requestId);
            return;
        }

        if (McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion))
        {
            if (!await CheckPerRequestMetadataAsync(context, message, protocolVersion, requestId))
            {
                return;
            }
        }

        message.Context ??= new JsonRpcMessageContext();
        message.Context.ProtocolVersion = protocolVersion.Length > 0 ? protocolVersion : null;
        if (context.User.Identity?.IsAuthenticated == true)
        {
            message.Context.User = context.User;
        }

        message.Context.Items ??= new Dictionary<string, object?>();
        message.Context.Items[McpServerOptionsFactory.HttpContextItem] = context;

        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (!_options.Stateful || McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion))
        {
            if (sessionId.Length > 0 && !McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion))
            {
                await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                    "Bad Request: this gateway is stateless; do not send Mcp-Session-Id.", requestId);
                return;
            }

            await HandleStatelessAsync(context, message, protocolVersion);
            return;
        }

        await HandleStatefulAsync(context, message, sessionId, requestId);
    }

    public async Task HandleGetAsync(HttpContext context)
    {
        if (!await CheckSessionVerbAsync(context))
        {
            return;
        }

        if (!Accepts(context.Request.GetTypedHeaders().Accept, "text/event-stream"))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status406NotAcceptable, JsonRpcErrors.ServerError,
                "Not Acceptable: the client must accept text/event-stream.");
            return;
        }

        var session = await FindSessionAsync(context, default);
        if (session is null)
        {
            return;
        }

        using var streamSlot = _capacity.TryOpenStream(_callers.PartitionKey(context), McpTransports.StreamableHttp, out var refusal);
        if (streamSlot is null)
        {
            await refusal!.WriteAsync(context);
            return;
        }

        if (!session.TryStartGetStream())
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                "Bad Request: this session already has a GET stream open.");
            return;
        }

        // The stream ends on client disconnect, session close or shutdown, so draining is not held up by idle listeners.
        using var streamEnd = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Closed, _lifetime.ApplicationStopping);
        using var _ = session.BeginRequest();
        try
        {
            PrepareEventStream(context);
            await context.Response.Body.FlushAsync(streamEnd.Token);
            await session.Transport.HandleGetRequestAsync(context.Response.Body, streamEnd.Token);
        }
        catch (OperationCanceledException) when (streamEnd.IsCancellationRequested)
        {
        }
    }

    public async Task HandleDeleteAsync(HttpContext context)
    {
        if (!await CheckSessionVerbAsync(context))
        {
            return;
        }

        var session = await FindSessionAsync(context, default);
        if (session is null)
        {
            return;
        }

        await _sessions.RemoveAsync(session.Id);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task<bool> CheckSessionVerbAsync(HttpContext context)
    {
        var protocolVersion = context.Request.Headers[McpHttpHeaders.ProtocolVersion].ToString();
        if (!_options.Stateful || McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion))
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, JsonRpcErrors.ServerError,
                $"Method Not Allowed: {context.Request.Method} /mcp needs a stateful session; this gateway serves POST only in its current mode.");
            return false;
        }

        if (protocolVersion.Length > 0 && !McpProtocolVersions.IsSupported(protocolVersion))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                $"Bad Request: unsupported MCP-Protocol-Version. Supported: {string.Join(", ", McpProtocolVersions.StreamableHttp)}.");
            return false;
        }

        return true;
    }

    private async Task HandleStatelessAsync(HttpContext context, JsonRpcMessage message, string protocolVersion)
    {
        if (message is JsonRpcRequest { Method: RequestMethods.ToolsCall } toolCall && !McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion))
        {
            await RespondToToolCallAsync(context, toolCall);
            return;
        }

        var transport = new StreamableHttpServerTransport(_loggerFactory) { Stateless = true };
        await using var server = McpServer.Create(transport, _serverOptions.Create(), _loggerFactory, context.RequestServices);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

        // The transport hands the message to the server through a channel, so the server must be running first.
        var run = server.RunAsync(stop.Token);
        try
        {
            await RespondAsync(context, transport, message, protocolVersion);
        }
        finally
        {
            await transport.DisposeAsync();
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Stateless fast path for the hot method: the call needs no session and no server-to-client messages, so it is
    /// answered directly as one JSON response instead of starting an SDK server and an event stream per request.
    /// The call and its error mapping are the same <see cref="McpToolCalls"/> the SDK handler uses.
    /// </summary>
    private async Task RespondToToolCallAsync(HttpContext context, JsonRpcRequest request)
    {
        var parameters = (JsonObject)request.Params!;
        JsonRpcMessage reply;
        try
        {
            var result = await _toolCalls.CallAsync(context, (string)parameters["name"]!, parameters["arguments"], context.RequestAborted);
            reply = new JsonRpcResponse { Id = request.Id, Result = JsonSerializer.SerializeToNode(result, s_resultType) };
        }
        catch (McpProtocolException ex)
        {
            reply = new JsonRpcError { Id = request.Id, Error = McpToolCalls.ToErrorDetail(ex) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As the SDK does: an accepted request always gets an answer, never a stack trace.
            Log.ToolCallFailed(_logger, ex);
            reply = new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InternalError, Message = "The gateway failed while calling the tool; the request id in X-Request-ID locates it in the logs." },
            };
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, reply, s_messageType, context.RequestAborted);
    }

    private async Task HandleStatefulAsync(HttpContext context, JsonRpcMessage message, string sessionId, RequestId requestId)
    {
        McpSession? session;
        if (sessionId.Length == 0)
        {
            if (message is not JsonRpcRequest { Method: RequestMethods.Initialize })
            {
                await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                    "Bad Request: send initialize first to start a session, then include its Mcp-Session-Id header.", requestId);
                return;
            }

            var slot = _capacity.TryOpenSession(_callers.PartitionKey(context), McpTransports.StreamableHttp, out var refusal);
            if (slot is null)
            {
                await refusal!.WriteAsync(context, requestId);
                return;
            }

            var id = McpSessionStore.NewSessionId();
            var transport = new StreamableHttpServerTransport(_loggerFactory) { SessionId = id };
            session = new McpSession(id, transport, _callers.Resolve(context.User).PrincipalKey, slot);
            if (!_sessions.TryAdd(session))
            {
                // 128 random bits do not collide; if they ever did, the new session must not replace the old one.
                await session.DisposeAsync();
                await JsonRpcErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcErrors.ServerError,
                    "Service Unavailable: the session could not be registered; retry.", requestId);
                return;
            }

            // A session outlives the initialize request, so it must not hold that request's (soon disposed) scope.
            session.Start(McpServer.Create(transport, _serverOptions.Create(), _loggerFactory, _services));
        }
        else
        {
            session = await FindSessionAsync(context, requestId);
            if (session is null)
            {
                return;
            }
        }

        context.Response.Headers[McpHttpHeaders.SessionId] = session.Id;
        using var _ = session.BeginRequest();
        await RespondAsync(context, session.Transport, message, protocolVersion: string.Empty);
    }

    private static async Task RespondAsync(HttpContext context, StreamableHttpServerTransport transport, JsonRpcMessage message, string protocolVersion)
    {
        Func<JsonRpcMessage?, ValueTask>? onFirstMessage = null;
        if (McpProtocolVersions.RequiresPerRequestMetadata(protocolVersion))
        {
            // 2026-07-28 maps some JSON-RPC errors to HTTP statuses, which must be chosen before the first byte.
            onFirstMessage = first =>
            {
                if (first is JsonRpcError { Error: { } error } && !context.Response.HasStarted)
                {
                    context.Response.StatusCode = error.Code switch
                    {
                        JsonRpcErrors.MethodNotFound => StatusCodes.Status404NotFound,
                        JsonRpcErrors.HeaderMismatch => StatusCodes.Status400BadRequest,
                        (int)McpErrorCode.UnsupportedProtocolVersion or (int)McpErrorCode.MissingRequiredClientCapability => StatusCodes.Status400BadRequest,
                        _ => context.Response.StatusCode,
                    };
                }

                return default;
            };
        }

        PrepareEventStream(context);
        var body = new CompactJsonEscapingStream(context.Response.Body);
        var wroteResponse = onFirstMessage is null
            ? await transport.HandlePostRequestAsync(message, body, context.RequestAborted)
            : await transport.HandlePostRequestAsync(message, body, onFirstMessage, context.RequestAborted);
        if (!wroteResponse)
        {
            context.Response.Headers.ContentType = default;
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
    }

    private async ValueTask<McpSession?> FindSessionAsync(HttpContext context, RequestId requestId)
    {
        var sessionId = context.Request.Headers[McpHttpHeaders.SessionId].ToString();
        if (sessionId.Length == 0)
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                "Bad Request: the Mcp-Session-Id header is required.", requestId);
            return null;
        }

        if (!_sessions.TryGet(sessionId, out var session))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.SessionNotFound,
                "Session not found: it expired or never existed. Start a new session with initialize.", requestId);
            return null;
        }

        if (!string.Equals(session.UserId, _callers.Resolve(context.User).PrincipalKey, StringComparison.Ordinal))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrors.ServerError,
                "Forbidden: this session belongs to another user.", requestId);
            return null;
        }

        return session;
    }

    private static async Task<bool> CheckPerRequestMetadataAsync(HttpContext context, JsonRpcMessage message, string protocolVersion, RequestId requestId)
    {
        var (method, parameters) = message switch
        {
            JsonRpcRequest request => (request.Method, request.Params),
            JsonRpcNotification notification => (notification.Method, notification.Params),
            _ => (null, null),
        };

        if (method is null)
        {
            return true;
        }

        var methodHeader = context.Request.Headers[McpHttpHeaders.Method].ToString();
        if (!string.Equals(methodHeader, method, StringComparison.Ordinal))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.HeaderMismatch,
                methodHeader.Length == 0
                    ? $"Bad Request: protocol {protocolVersion} requires the {McpHttpHeaders.Method} header (here: '{CallerText.Echo(method)}')."
                    : $"Bad Request: the {McpHttpHeaders.Method} header does not match the body's method '{CallerText.Echo(method)}'.",
                requestId);
            return false;
        }

        var expectedName = method switch
        {
            RequestMethods.ToolsCall or RequestMethods.PromptsGet => (parameters as JsonObject)?["name"]?.GetValueKind() == JsonValueKind.String ? (string?)parameters!["name"] : null,
            RequestMethods.ResourcesRead => (parameters as JsonObject)?["uri"]?.GetValueKind() == JsonValueKind.String ? (string?)parameters!["uri"] : null,
            _ => null,
        };
        if (expectedName is not null)
        {
            var nameHeader = context.Request.Headers[McpHttpHeaders.Name].ToString();
            if (!string.Equals(nameHeader, expectedName, StringComparison.Ordinal))
            {
                await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.HeaderMismatch,
                    nameHeader.Length == 0
                        ? $"Bad Request: protocol {protocolVersion} requires the {McpHttpHeaders.Name} header for {CallerText.Echo(method)} (here: '{CallerText.Echo(expectedName)}')."
                        : $"Bad Request: the {McpHttpHeaders.Name} header does not match the body's '{CallerText.Echo(expectedName)}'.",
                    requestId);
                return false;
            }
        }

        if (method is RequestMethods.Initialize or RequestMethods.Ping or "logging/setLevel"
            or RequestMethods.ResourcesSubscribe or RequestMethods.ResourcesUnsubscribe)
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.MethodNotFound,
                $"Method '{method}' is not part of protocol {protocolVersion}; use server/discover.", requestId);
            return false;
        }

        return true;
    }

    internal static void PrepareEventStream(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers.ContentEncoding = "identity";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

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


    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "tools/call failed unexpectedly")]
        public static partial void ToolCallFailed(ILogger logger, Exception exception);
    }
}
