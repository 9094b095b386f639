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
    /// Browser origins allowed to call /mcp (DNS-rebinding protection). A request whose <c>Origin</c> is not listed
    /// gets 403; requests without <c>Origin</c> (non-browser clients) pass. <c>:*</c> allows any port.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = ["http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*"];

    /// <summary>Serve the 2024-11-05 HTTP+SSE transport at /sse and /messages.</summary>
    public bool EnableLegacySse { get; set; } = true;

    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public int MaxSessions { get; set; } = 10_000;

    /// <summary>Maximum size of one JSON-RPC message body.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;
}
