namespace Gateway.Proxy.Federation;

/// <summary><c>Gateway:Federation</c>: how the gateway keeps its view of upstream MCP servers (declared in routes.json) fresh.</summary>
public sealed class FederationOptions
{
    public const string SectionName = "Gateway:Federation";

    /// <summary>How often each upstream's <c>tools/list</c> is re-read besides its <c>list_changed</c> notifications.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait for an upstream's initialize handshake (a new session).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Upstream sessions held at once for stateful downstream sessions whose clients can answer sampling, elicitation or
    /// roots (one per such downstream session and upstream). A call that would open one more fails as BackendUnavailable.
    /// </summary>
    public int MaxClientBoundSessions { get; set; } = 1_000;

    /// <summary>A client-bound upstream session unused this long is closed (its downstream session may never say it ended).</summary>
    public TimeSpan ClientBoundSessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Upstream sessions held at once for upstreams with <c>"SessionScope": "Principal"</c> (one per principal and upstream).</summary>
    public int MaxPrincipalSessions { get; set; } = 1_000;

    /// <summary>A per-principal upstream session unused this long is closed.</summary>
    public TimeSpan PrincipalSessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
