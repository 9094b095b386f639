// Sampling, roots and logging are deprecated as of 2026-07-28 (SEP-2577), but upstreams on 2025-11-25 and the
// clients calling the gateway still use them; relaying them is this file's job.
#pragma warning disable MCP9005
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Federation.Relay;

/// <summary>
/// The downstream MCP request a tool call runs for, as the SDK server handed it to the gateway's <c>tools/call</c>
/// handler: the server bound to the request (what it sends goes on the request's own response stream), the client's
/// progress token, and the log level it wants. Carried on the caller's HttpContext to the federated backend; calls that came another way
/// (the stateless fast path, the REST facade) have none, and nothing is relayed for them.
/// </summary>
public sealed class DownstreamRequest
{
    private readonly bool _levelPerRequest;
    private readonly LoggingLevel? _requestLevel;

    public DownstreamRequest(McpServer server, ProgressToken? progressToken, JsonRpcMessageContext? context = null)
    {
        Server = server;
        ProgressToken = progressToken;
        _levelPerRequest = Mcp.McpProtocolVersions.RequiresPerRequestMetadata(context?.ProtocolVersion);
        _requestLevel = context?.LogLevel;
    }

    /// <summary>The SDK server bound to the calling request.</summary>
    public McpServer Server { get; }

    /// <summary>The client's <c>_meta.progressToken</c>, when it asked for progress.</summary>
    public ProgressToken? ProgressToken { get; }

    /// <summary>
    /// The lowest log level the client wants for this request, null for none: a 2026-07-28 request's own
    /// <c>_meta/io.modelcontextprotocol/logLevel</c> (absent: no log messages for it, as that revision requires), else the
    /// level its session set with <c>logging/setLevel</c> (never set: none, as the SDK's own server logging does).
    /// </summary>
    public LoggingLevel? LogLevel => _levelPerRequest ? _requestLevel : Server.LoggingLevel;

    /// <summary>Whether the client wants a log message of <paramref name="level"/> now.</summary>
    public bool Wants(LoggingLevel level) => LogLevel is { } minimum && level >= minimum;

    /// <summary>
    /// The capabilities the client declared, when it holds a stateful session (the SDK reports none in stateless mode,
    /// where nothing can be sent to the client outside the request's own answer).
    /// </summary>
    public ClientCapabilities? Capabilities => Server.ClientCapabilities;

    /// <summary>Whether the client holds a session that can take the upstream's sampling, elicitation or roots requests.</summary>
    public bool CanServeUpstreamRequests =>
        Server.SessionId is { Length: > 0 } && Capabilities is { } c && (c.Sampling is not null || c.Elicitation is not null || c.Roots is not null);

    public static DownstreamRequest? Of(HttpContext context) => context.Features.Get<DownstreamRequest>();

    public void AttachTo(HttpContext context) => context.Features.Set(this);
}
