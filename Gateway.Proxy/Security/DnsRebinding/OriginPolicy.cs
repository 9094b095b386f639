using Gateway.Proxy.Mcp;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.DnsRebinding;

/// <summary>
/// The <c>Origin</c> rule (<c>Gateway:Mcp:AllowedOrigins</c>): a request without Origin (not a browser) passes; one
/// with Origin passes only when it is a well-formed origin, serialized as browsers serialize it (no path, no user
/// info, no default port spelled out, no trailing slash), whose scheme, host and port match an entry. Hosts are
/// compared in canonical form (lower case, punycode, compressed IPv6), never as raw text; <c>null</c> never matches.
/// </summary>
public sealed class OriginPolicy
{
    private readonly Entry[] _entries;

    public OriginPolicy(IOptions<McpOptions> options)
    {
        _entries = options.Value.AllowedOrigins
            .Select(o => TryParseEntry(o, out var e) ? e : (Entry?)null)
            .OfType<Entry>()
            .ToArray();
    }

    /// <summary>True when the request has no Origin or its Origin is allowed.</summary>
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (origin.Count == 0)
        {
            return true;
        }

        if (origin.Count > 1 || !TryParseOrigin(origin.ToString(), out var uri))
        {
            return false;
        }

        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Scheme, uri.Scheme, StringComparison.Ordinal)
                && string.Equals(entry.Host, uri.IdnHost, StringComparison.OrdinalIgnoreCase)
                && (entry.Port is null || entry.Port == uri.Port))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool TryParseEntry(string text, out Entry entry)
    {
        entry = default;
        var anyPort = text.EndsWith(":*", StringComparison.Ordinal);
        var candidate = anyPort ? text[..^2] : text;
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || candidate.EndsWith('/') || !string.IsNullOrEmpty(uri.Query) || uri.UserInfo.Length > 0)
        {
            return false;
        }

        entry = new Entry(uri.Scheme, uri.IdnHost, anyPort ? null : uri.Port);
        return true;
    }

    /// <summary>An origin exactly as a browser serializes it: parsing and re-serializing gives the same text (up to case).</summary>
    private static bool TryParseOrigin(string text, out Uri uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri!)
        && uri.Scheme is "http" or "https"
        && uri.UserInfo.Length == 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), text, StringComparison.OrdinalIgnoreCase);

    internal readonly record struct Entry(string Scheme, string Host, int? Port);
}
