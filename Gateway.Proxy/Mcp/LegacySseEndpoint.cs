using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Security.Authorization;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// The 2024-11-05 HTTP+SSE transport for older clients: <c>GET /sse</c> opens the stream and announces the
/// message endpoint; <c>POST /messages?sessionId=…</c> delivers client messages, answered on the stream.
/// Ours rather than the SDK's <c>EnableLegacySse</c>: that one runs only when all of /mcp is stateful (every modern
/// initialize client would then need session affinity), and runs each message on the stream opener's context.
/// </summary>
public sealed class LegacySseEndpoint
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly IOptionsFactory<McpServerOptions> _serverOptions;
    private readonly McpOptions _options;
    private readonly McpCapacity _capacity;
    private readonly CallerIdentityResolver _callers;
    private readonly RefusalLimiter _refusals;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IHostApplicationLifetime _lifetime;

    public LegacySseEndpoint(
        IOptionsFactory<McpServerOptions> serverOptions,
        IOptions<McpOptions> options,
        McpCapacity capacity,
        CallerIdentityResolver callers,
        RefusalLimiter refusals,
        ILoggerFactory loggerFactory,
        IHostApplicationLifetime lifetime)
    {
        _serverOptions = serverOptions;
        _options = options.Value;
        _capacity = capacity;
        _callers = callers;
        _refusals = refusals;
        _loggerFactory = loggerFactory;
        _lifetime = lifetime;
    }

    public async Task HandleStreamAsync(HttpContext context)
    {
        // A legacy connection is a session and an event stream at once: it takes a slot of each.
        var principal = _callers.PartitionKey(context);
        using var sessionSlot = _capacity.TryOpenSession(principal, McpTransports.Sse, out var refusal);
        using var streamSlot = sessionSlot is null ? null : _capacity.TryOpenStream(principal, McpTransports.Sse, out refusal);
        if (streamSlot is null)
        {
            await refusal!.WriteAsync(context);
            return;
        }

        var id = NewSessionId();
        var messageEndpoint = $"{context.Request.PathBase}/messages?sessionId={id}";
        PrepareEventStream(context);

        await using var transport = new SseResponseStreamTransport(new CompactJsonEscapingStream(context.Response.Body), messageEndpoint, id);
        await using var server = McpServer.Create(transport, _serverOptions.Create(Options.DefaultName), _loggerFactory, context.RequestServices);
        using var streamEnd = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.ApplicationStopping);
        _connections[id] = new Connection(transport, context, _callers.Resolve(context.User).PrincipalKey);
        try
        {
            var transportTask = transport.RunAsync(streamEnd.Token);
            var serverTask = server.RunAsync(streamEnd.Token);
            await Task.WhenAny(transportTask, serverTask);
            await streamEnd.CancelAsync();
            await Task.WhenAll(transportTask, serverTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException) when (streamEnd.IsCancellationRequested)
        {
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    public async Task HandleMessageAsync(HttpContext context)
    {
        var id = context.Request.Query["sessionId"].ToString();
        if (id.Length == 0)
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.ServerError,
                "Bad Request: the sessionId query parameter is required; use the endpoint announced on GET /sse.");
            return;
        }

        if (!_connections.TryGetValue(id, out var connection))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.SessionNotFound,
                "Session not found: open a new stream with GET /sse.");
            return;
        }

        if (!string.Equals(connection.UserId, _callers.Resolve(context.User).PrincipalKey, StringComparison.Ordinal))
        {
            await JsonRpcErrors.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrors.ServerError,
                "Forbidden: this session belongs to another user.");
            return;
        }

        var read = await JsonRpcMessageReader.ReadAsync(context, _options.MaxRequestBodyBytes);
        if (read.Message is not { } message)
        {
            await read.WriteErrorAsync(context);
            return;
        }

        if (JsonRpcMessageReader.InvalidParams(message) is { } paramsError)
        {
            // Same answer as on Streamable HTTP (and the same charge to the refusal budget); the SDK would report
            // unreadable params as an internal error.
            var detail = await _refusals.ChargeAsync(context) is { } limited
                ? McpToolCalls.ToErrorDetail(limited)
                : new JsonRpcErrorDetail { Code = JsonRpcErrors.InvalidParams, Message = paramsError };
            if (message is not JsonRpcRequest request)
            {
                await JsonRpcErrors.WriteAsync(context, StatusCodes.Status400BadRequest, detail.Code, detail.Message, default, detail.Data);
                return;
            }

            await connection.Transport.SendMessageAsync(new JsonRpcError { Id = request.Id, Error = detail }, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        // Each message acts with the credentials it came with (tools/list filtering, per-tool authorization, rate
        // limits, audit), never the stream opener's. Replies travel on the stream after this POST has completed, so
        // the call gets a detached copy of this request's caller, bound to the stream's lifetime.
        message.Context ??= new JsonRpcMessageContext();
        message.Context.User = context.User.Identity?.IsAuthenticated == true ? context.User : null;
        message.Context.Items ??= new Dictionary<string, object?>();
        message.Context.Items[McpServerSetup.HttpContextItem] = DetachedCallerContext.Create(context, connection.Stream);
        await connection.Transport.OnMessageReceivedAsync(message, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    private static void PrepareEventStream(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers.ContentEncoding = "identity";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private sealed record Connection(SseResponseStreamTransport Transport, HttpContext Stream, string? UserId);
}
