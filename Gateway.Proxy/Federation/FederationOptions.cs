namespace Gateway.Proxy.Federation;

/// <summary><c>Gateway:Federation</c>: how the gateway keeps its view of upstream MCP servers (declared in routes.json) fresh.</summary>
public sealed class FederationOptions
{
    public const string SectionName = "Gateway:Federation";

    /// <summary>How often each upstream's <c>tools/list</c> is re-read besides its <c>list_changed</c> notifications.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest wait for an upstream's initialize handshake (a new session).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
