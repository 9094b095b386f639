using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Caps on what MCP callers hold open, overall and per principal, so one caller cannot take every slot: sessions
/// (stateful Streamable HTTP sessions and legacy <c>/sse</c> connections), event streams (<c>GET /mcp</c> and
/// <c>GET /sse</c>) and <c>subscriptions/listen</c> requests. A granted slot is a <see cref="McpCapacityLease"/>;
/// disposing it (session closed, stream ended or client gone) frees the slot and updates <c>mcp_active_sessions</c> /
/// <c>mcp_active_streams</c>.
/// </summary>
public sealed class McpCapacity
{
    private readonly object _gate = new();
    private readonly Slots _sessions;
    private readonly Slots _streams;
    private readonly Slots _listens;
    private readonly GatewayMetrics? _metrics;

    public McpCapacity(IOptions<McpOptions> options, GatewayMetrics? metrics = null)
    {
        var settings = options.Value;
        _sessions = new Slots(settings.MaxSessions, settings.MaxSessionsPerPrincipal);
        _streams = new Slots(settings.MaxStreams, settings.MaxStreamsPerPrincipal);
        _listens = new Slots(settings.MaxListenStreams, settings.MaxListenStreamsPerPrincipal);
        _metrics = metrics;
    }

    public int Sessions => Volatile.Read(ref _sessions.Total);

    public int Streams => Volatile.Read(ref _streams.Total);

    /// <summary>Open <c>subscriptions/listen</c> requests.</summary>
    public int ListenStreams => Volatile.Read(ref _listens.Total);

    /// <summary>A session slot for <paramref name="principal"/>, or null and the cap that refused it.</summary>
    public McpCapacityLease? TryOpenSession(string principal, string transport, out McpCapacityRefusal? refusal) =>
        TryOpen(McpSlotKind.Session, principal, transport, out refusal);

    /// <summary>An event-stream slot for <paramref name="principal"/>, or null and the cap that refused it.</summary>
    public McpCapacityLease? TryOpenStream(string principal, string transport, out McpCapacityRefusal? refusal) =>
        TryOpen(McpSlotKind.Stream, principal, transport, out refusal);

    /// <summary>A <c>subscriptions/listen</c> slot for <paramref name="principal"/>, or null and the cap that refused it.</summary>
    public McpCapacityLease? TryOpenListen(string principal, out McpCapacityRefusal? refusal) =>
        TryOpen(McpSlotKind.Listen, principal, McpTransports.Listen, out refusal);

    private Slots SlotsOf(McpSlotKind kind) => kind switch
    {
        McpSlotKind.Session => _sessions,
        McpSlotKind.Stream => _streams,
        _ => _listens,
    };

    private McpCapacityLease? TryOpen(McpSlotKind kind, string principal, string transport, out McpCapacityRefusal? refusal)
    {
        var slots = SlotsOf(kind);
        lock (_gate)
        {
            var held = slots.ByPrincipal.GetValueOrDefault(principal);
            if (held >= slots.PrincipalLimit)
            {
                refusal = McpCapacityRefusal.PerPrincipal(kind, slots.PrincipalLimit);
                return null;
            }

            if (slots.Total >= slots.TotalLimit)
            {
                refusal = McpCapacityRefusal.Overall(kind, slots.TotalLimit);
                return null;
            }

            slots.ByPrincipal[principal] = held + 1;
            slots.Total++;
        }

        Record(kind, transport, +1);
        refusal = null;
        return new McpCapacityLease(this, kind, principal, transport);
    }

    internal void Release(McpSlotKind kind, string principal, string transport)
    {
        var slots = SlotsOf(kind);
        lock (_gate)
        {
            var held = slots.ByPrincipal.GetValueOrDefault(principal);
            if (held <= 1)
            {
                slots.ByPrincipal.Remove(principal);
            }
            else
            {
                slots.ByPrincipal[principal] = held - 1;
            }

            slots.Total--;
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

    /// <summary>One kind's counts, changed under <see cref="_gate"/>.</summary>
    private sealed class Slots(int totalLimit, int principalLimit)
    {
        public readonly Dictionary<string, int> ByPrincipal = new(StringComparer.Ordinal);
        public readonly int TotalLimit = totalLimit;
        public readonly int PrincipalLimit = principalLimit;
        public int Total;
    }
}

/// <summary>What a <see cref="McpCapacity"/> slot holds.</summary>
public enum McpSlotKind
{
    Session,
    Stream,

    /// <summary>A <c>subscriptions/listen</c> request held open (2026-07-28).</summary>
    Listen,
}

/// <summary>The <c>transport</c> label of the session and stream gauges.</summary>
public static class McpTransports
{
    public const string StreamableHttp = "streamable_http";
    public const string Sse = "sse";

    /// <summary><c>subscriptions/listen</c> requests, counted in <c>mcp_active_streams</c>.</summary>
    public const string Listen = "subscriptions_listen";
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
    public static McpCapacityRefusal PerPrincipal(McpSlotKind kind, int limit) => kind switch
    {
        McpSlotKind.Session => new(StatusCodes.Status429TooManyRequests, "Gateway:Mcp:MaxSessionsPerPrincipal", limit,
            $"Too Many Requests: you already hold {limit} open MCP sessions, the most one caller may hold (Gateway:Mcp:MaxSessionsPerPrincipal). " +
            "Close sessions you no longer use (DELETE /mcp with their Mcp-Session-Id, or close their /sse streams), or wait until idle ones expire (Gateway:Mcp:SessionIdleTimeout)."),
        McpSlotKind.Stream => new(StatusCodes.Status429TooManyRequests, "Gateway:Mcp:MaxStreamsPerPrincipal", limit,
            $"Too Many Requests: you already hold {limit} open event streams (GET /mcp and GET /sse), the most one caller may hold (Gateway:Mcp:MaxStreamsPerPrincipal). " +
            "Close streams you no longer listen to, then retry."),
        _ => new(StatusCodes.Status429TooManyRequests, "Gateway:Mcp:MaxListenStreamsPerPrincipal", limit,
            $"Too Many Requests: you already hold {limit} open subscriptions/listen requests, the most one caller may hold (Gateway:Mcp:MaxListenStreamsPerPrincipal). " +
            "One listen request can carry every notification type and resource URI you need: cancel the ones you no longer use, then retry."),
    };

    public static McpCapacityRefusal Overall(McpSlotKind kind, int limit) => kind switch
    {
        McpSlotKind.Session => new(StatusCodes.Status503ServiceUnavailable, "Gateway:Mcp:MaxSessions", limit,
            $"Service Unavailable: the gateway holds its maximum of {limit} MCP sessions (Gateway:Mcp:MaxSessions). Retry later, or close sessions you no longer use (DELETE /mcp)."),
        McpSlotKind.Stream => new(StatusCodes.Status503ServiceUnavailable, "Gateway:Mcp:MaxStreams", limit,
            $"Service Unavailable: the gateway holds its maximum of {limit} open event streams (Gateway:Mcp:MaxStreams). Retry later."),
        _ => new(StatusCodes.Status503ServiceUnavailable, "Gateway:Mcp:MaxListenStreams", limit,
            $"Service Unavailable: the gateway holds its maximum of {limit} open subscriptions/listen requests (Gateway:Mcp:MaxListenStreams). Retry later."),
    };

    /// <summary>The refusal as a handler's JSON-RPC error (the SDK answers it on the request's own stream).</summary>
    public ModelContextProtocol.McpProtocolException ToException()
    {
        var exception = new ModelContextProtocol.McpProtocolException(Message, (ModelContextProtocol.McpErrorCode)JsonRpcErrors.ServerError);
        exception.Data["code"] = "CapacityExceeded";
        exception.Data["cap"] = Setting;
        exception.Data["limit"] = Limit;
        return exception;
    }

    public Task WriteAsync(HttpContext context, ModelContextProtocol.Protocol.RequestId requestId = default) =>
        JsonRpcErrors.WriteAsync(context, StatusCode, JsonRpcErrors.ServerError, Message, requestId,
            new Dictionary<string, object> { ["code"] = "CapacityExceeded", ["cap"] = Setting, ["limit"] = Limit });
}
