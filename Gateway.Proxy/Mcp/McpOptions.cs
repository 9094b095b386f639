namespace Gateway.Proxy.Mcp;

/// <summary>The MCP front (section <c>Gateway:Mcp</c>).</summary>
public sealed class McpOptions
{
    public const string SectionName = "Gateway:Mcp";

    /// <summary>
    /// Stateless (the default) needs no session affinity, so replicas behind an ingress are interchangeable.
    /// Stateful sessions add GET streams and <c>notifications/tools/list_changed</c>.
    /// </summary>
    public bool Stateful { get; set; }

    /// <summary>
    /// Browser origins allowed to call any endpoint but the health probes (DNS-rebinding protection). A request whose
    /// <c>Origin</c> is not listed gets 403; requests without <c>Origin</c> (non-browser clients) pass. <c>:*</c>
    /// allows any port.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } =
    [
        "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
        "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*",
    ];

    /// <summary>
    /// Host names (or IP literals) served besides localhost and loopback addresses, any port. Enforced whenever
    /// authentication is off, and whenever the list is not empty (DNS-rebinding protection).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Serve the 2024-11-05 HTTP+SSE transport at /sse and /messages.</summary>
    public bool EnableLegacySse { get; set; } = true;

    /// <summary>
    /// Answer stateless <c>tools/call</c> as one JSON response without starting an SDK server per request (measured
    /// about twice the SDK path's throughput). Off sends every call through <c>MapMcp</c>, answered as an event stream.
    /// </summary>
    public bool ToolCallFastPath { get; set; } = true;

    /// <summary>A stateful session unused this long is closed by the SDK (which looks every 5 s).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Open sessions overall: stateful Streamable HTTP sessions plus legacy <c>/sse</c> connections.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>
    /// Open sessions one principal may hold (its subject, or its client IP when anonymous), so one caller cannot take
    /// every slot of <see cref="MaxSessions"/>.
    /// </summary>
    public int MaxSessionsPerPrincipal { get; set; } = 100;

    /// <summary>Open event streams overall (<c>GET /mcp</c> and <c>GET /sse</c>); each holds a connection.</summary>
    public int MaxStreams { get; set; } = 1_000;

    /// <summary>Open event streams one principal may hold.</summary>
    public int MaxStreamsPerPrincipal { get; set; } = 10;

    /// <summary>
    /// <c>subscriptions/listen</c> requests (2026-07-28) held open overall; each holds a connection and, for the
    /// resource URIs it asks for, a share of the gateway's upstream subscriptions.
    /// </summary>
    public int MaxListenStreams { get; set; } = 1_000;

    /// <summary>Open <c>subscriptions/listen</c> requests one principal may hold.</summary>
    public int MaxListenStreamsPerPrincipal { get; set; } = 10;

    /// Maximum size of a request body on the tool-call entry points: one JSON-RPC message on /mcp and /messages, one
    /// call on POST /tools/call. Enforced while reading (413).
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;

    /// <summary>
    /// Largest backend answer a tool call may return, unless its route sets metadata <c>Gateway.MaxResultBytes</c>.
    /// Enforced while reading; a larger answer becomes a <c>ResultTooLarge</c> error, never a truncated result.
    /// </summary>
    public long MaxResultBytes { get; set; } = 1_048_576;

    /// <summary>
    /// The <c>instructions</c> returned by <c>initialize</c>: what this gateway offers, for the model. Unset: a summary
    /// drawn from the tool catalog (backends, tools, how errors come back).
    /// </summary>
    public string? Instructions { get; set; }

    /// <summary>SSE resumability of stateful sessions (SEP-1699); off unless enabled.</summary>
    public McpResumabilityOptions Resumability { get; set; } = new();
}

/// <summary>
/// <c>Gateway:Mcp:Resumability</c>: with it, each event of a stateful session's streams gets an id and is kept in
/// memory for <see cref="EventRetention"/>, and each POST answered as an event stream starts with a priming event, so
/// a client that loses the stream reconnects with <c>GET</c> and <c>Last-Event-ID</c> and receives what it missed.
/// </summary>
public sealed class McpResumabilityOptions
{
    public bool Enabled { get; set; }

    /// <summary>How long an event stays available for a reconnecting client.</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Memory the kept events may take; when full, new events are not kept (their streams cannot be resumed).</summary>
    public long MaxBytes { get; set; } = 64L << 20;
}
