namespace Gateway.Proxy.Configuration;

/// <summary>Settings of the gateway host (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Path of routes.json; relative paths resolve against the content root.</summary>
    public string RoutesPath { get; set; } = "routes.json";

    /// <summary>How often routes.json is re-read as a safety net for missed file events (e.g. ConfigMap symlink swaps).</summary>
    public TimeSpan RoutesPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Reported by /health and the build-info metric.</summary>
    public string ServiceName { get; set; } = "mcp-gateway";
}
