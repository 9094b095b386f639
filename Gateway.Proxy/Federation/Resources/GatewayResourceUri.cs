using System.Diagnostics.CodeAnalysis;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// How an upstream's resource URIs are shown to clients: <c>mcp-gateway://{server}/{upstream URI}</c>, the upstream's
/// URI kept verbatim after the server's name. Verbatim so a resource template stays a template (its <c>{variables}</c>
/// are expanded by the client and mapped back like any URI), and so the mapping is reversible without a lookup: a
/// URI expanded from a template, or taken from a tool result's resource link, leads back to its upstream.
/// </summary>
public static class GatewayResourceUri
{
    public const string Scheme = "mcp-gateway";

    private const string Prefix = Scheme + "://";

    public static string Expose(string server, string upstreamUri) => Prefix + server + "/" + upstreamUri;

    /// <summary>The server root every URI of <paramref name="server"/> starts with (also the audit's name for its resources).</summary>
    public static string RootOf(string server) => Prefix + server + "/";

    /// <summary>Splits a gateway URI into the upstream's name and its own URI; false for anything else.</summary>
    public static bool TryParse(string? gatewayUri, [NotNullWhen(true)] out string? server, [NotNullWhen(true)] out string? upstreamUri)
    {
        server = null;
        upstreamUri = null;
        if (gatewayUri is null || !gatewayUri.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = gatewayUri.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return false;
        }

        server = rest[..slash].ToString();
        upstreamUri = rest[(slash + 1)..].ToString();
        return true;
    }
}
