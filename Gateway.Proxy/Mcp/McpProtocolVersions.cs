namespace Gateway.Proxy.Mcp;

/// <summary>The protocol revisions the gateway serves over HTTP.</summary>
public static class McpProtocolVersions
{
    public const string V20250326 = "2025-03-26";
    public const string V20250618 = "2025-06-18";
    public const string V20251125 = "2025-11-25";
    public const string V20260728 = "2026-07-28";

    public static readonly string[] StreamableHttp = [V20250326, V20250618, V20251125, V20260728];

    public static bool IsSupported(string version) => Array.IndexOf(StreamableHttp, version) >= 0;

    /// <summary>2026-07-28 made every request self-describing (no sessions, headers that mirror the body).</summary>
    public static bool RequiresPerRequestMetadata(string? version) =>
        version is not null && string.CompareOrdinal(version, V20260728) >= 0 && version.Length == V20260728.Length;
}
