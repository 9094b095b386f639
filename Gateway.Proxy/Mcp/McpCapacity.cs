using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Caps on what MCP callers hold open, overall and per principal, so one caller cannot take every slot: sessions
/// (stateful Streamable HTTP sessions and legacy <c>/sse</c> connections) and event streams (<c>GET /mcp</c> and
/// <c>GET /sse</c>). A granted slot is a <see cref="McpCapacityLease"/>; disposing it (session closed, stream ended or
/// client gone) frees the slot and updates <c>mcp_active_sessions</c> / <c>mcp_active_streams</c>.
/// </summary>
public sealed class McpCapacity
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _sessionsByPrincipal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _streamsByPrincipal = new(StringComparer.Ordinal);
    private readonly McpOptions _options;
    private readonly GatewayMetrics? _metrics;
    private int _sessions;
    private int _streams;

    public McpCapacity(IOptions<McpOptions> options, GatewayMetrics? metrics = null)
    {
        _options = options.Value;
        _metrics = metrics;
    }

    public int Sessions => Volatile.Read(ref _sessions);

    public int Streams => Volatile.Read(ref _streams);

    /// <summary>A session slot for <paramref name="principal"/>, or null and the cap that refused it.</summary>
    public McpCapacityLease? TryOpenSession(string principal, string transport, out McpCapacityRefusal? refusal) =>
        TryOpen(McpSlotKind.Session, principal, transport, out refusal);

    /// <summary>An event-stream slot for <paramref name="principal"/>, or null and the cap that refused it.</summary>
    public McpCapacityLease? TryOpenStream(string principal, string transport, out McpCapacityRefusal? refusal) =>
        TryOpen(McpSlotKind.Stream, principal, transport, out refusal);

    private McpCapacityLease? TryOpen(McpSlotKind kind, string principal, string transport, out McpCapacityRefusal? refusal)
    {
        var (byPrincipal, totalLimit, principalLimit) = kind == McpSlotKind.Session
            ? (_sessionsByPrincipal, _options.MaxSessions, _options.MaxSessionsPerPrincipal)
            : (_streamsByPrincipal, _options.MaxStreams, _options.MaxStreamsPerPrincipal);
        lock (_gate)
        {
            var total = kind == McpSlotKind.Session ? _sessions : _streams;
            var held = byPrincipal.GetValueOrDefault(principal);
            if (held >= principalLimit)
            {
                refusal = McpCapacityRefusal.PerPrincipal(kind, principalLimit);
                return null;
            }

            if (total >= totalLimit)
            {
                refusal = McpCapacityRefusal.Overall(kind, totalLimit);
                return null;
            }

            byPrincipal[principal] = held + 1;
            if (kind == McpSlotKind.Session)
            {
                _sessions++;
            }
            else
            {
                _streams++;
            }
        }

        Record(kind, transport, +1);
        refusal = null;
        return new McpCapacityLease(this, kind, principal, transport);
    }

    internal void Release(McpSlotKind kind, string principal, string transport)
    {
        lock (_gate)
        {
            var byPrincipal = kind == McpSlotKind.Session ? _sessionsByPrincipal : _streamsByPrincipal;
            var held = byPrincipal.GetValueOrDefault(principal);
            if (held <= 1)
            {
                byPrincipal.Remove(principal);
            }
            else
            {
                byPrincipal[principal] = held - 1;
            }

            if (kind == McpSlotKind.Session)
            {
                _sessions--;
            }
            else
            {
                _streams--;
            }
        }

        Record(kind, transport, -1);
    }

    private void Record(McpSlotKind kind, string transport, int delta)
    {
        if (kind == McpSlotKind.Session)
        {
            _metrics?.SessionsChanged(transport, delta);
        }
        else
        {
            _metrics?.StreamsChanged(transport, delta);
        }
    }
}

/// <summary>What a <see cref="McpCapacity"/> slot holds.</summary>
public enum McpSlotKind
{
    Session,
    Stream,
}

/// <summary>The <c>transport</c> label of the session and stream gauges.</summary>
public static class McpTransports
{
    public const string StreamableHttp = "streamable_http";
    public const string Sse = "sse";
}

/// <summary>One held slot; disposing it more than once frees the slot once.</summary>
public sealed class McpCapacityLease : IDisposable
{
    private readonly McpCapacity _owner;
    private readonly McpSlotKind _kind;
    private readonly string _principal;
    private readonly string _transport;
    private int _released;

    internal McpCapacityLease(McpCapacity owner, McpSlotKind kind, string principal, string transport)
    {
        _owner = owner;
        _kind = kind;
        _principal = principal;
        _transport = transport;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(_kind, _principal, _transport);
        }
    }
}

/// <summary>Which cap refused a slot, rendered as a JSON-RPC error that says what to do.</summary>
public sealed record McpCapacityRefusal(int StatusCode, string Setting, int Limit, string Message)
{
    public static McpCapacityRefusal PerPrincipal(McpSlotKind kind, int limit) => kind == McpSlotKind.Session
        ? new(StatusCodes.Status429TooManyRequests, "Gateway:Mcp:MaxSessionsPerPrincipal", limit,
            $"Too Many Requests: you already hold {limit} open MCP sessions, the most one caller may hold (Gateway:Mcp:MaxSessionsPerPrincipal). " +
            "Close sessions you no longer use (DELETE /mcp with their Mcp-Session-Id, or close their /sse streams), or wait until idle ones expire (Gateway:Mcp:SessionIdleTimeout).")
        : new(StatusCodes.Status429TooManyRequests, "Gateway:Mcp:MaxStreamsPerPrincipal", limit,
            $"Too Many Requests: you already hold {limit} open event streams (GET /mcp and GET /sse), the most one caller may hold (Gateway:Mcp:MaxStreamsPerPrincipal). " +
            "Close streams you no longer listen to, then retry.");

    public static McpCapacityRefusal Overall(McpSlotKind kind, int limit) => kind == McpSlotKind.Session
        ? new(StatusCodes.Status503ServiceUnavailable, "Gateway:Mcp:MaxSessions", limit,
            $"Service Unavailable: the gateway holds its maximum of {limit} MCP sessions (Gateway:Mcp:MaxSessions). Retry later, or close sessions you no longer use (DELETE /mcp).")
        : new(StatusCodes.Status503ServiceUnavailable, "Gateway:Mcp:MaxStreams", limit,
            $"Service Unavailable: the gateway holds its maximum of {limit} open event streams (Gateway:Mcp:MaxStreams). Retry later.");

    public Task WriteAsync(HttpContext context, ModelContextProtocol.Protocol.RequestId requestId = default) =>
        JsonRpcErrors.WriteAsync(context, StatusCode, JsonRpcErrors.ServerError, Message, requestId,
            new Dictionary<string, object> { ["code"] = "CapacityExceeded", ["cap"] = Setting, ["limit"] = Limit });
}
