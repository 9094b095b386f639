using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Metadata;

/// <summary>
/// Which request <c>Host</c> values may be reflected into what the gateway publishes about itself when
/// <c>Gateway:Auth:PublicOrigin</c> is unset: a well-formed host that is loopback (<c>localhost</c>, 127.0.0.0/8,
/// <c>[::1]</c>) or listed in the host-filtering rule <c>AllowedHosts</c> (exact names and <c>*.domain</c> wildcards;
/// the catch-all <c>*</c> allows nothing here). Anything else is never echoed.
/// </summary>
public sealed class RequestHostRule
{
    private readonly string[] _exact;
    private readonly string[] _suffixes;

    public RequestHostRule(IOptions<HostFilteringOptions> hostFiltering)
    {
        var entries = hostFiltering.Value.AllowedHosts ?? [];
        _exact = entries.Where(e => e.Length > 0 && !e.StartsWith('*')).ToArray();
        _suffixes = entries.Where(e => e.StartsWith("*.", StringComparison.Ordinal) && e.Length > 2).Select(e => e[1..]).ToArray();
    }

    /// <summary>The request's origin in canonical form (lower-case host, port only when sent), or false when its Host may not be reflected.</summary>
    public bool TryGetOrigin(HttpRequest request, out string origin)
    {
        origin = string.Empty;
        if (request.Scheme is not ("http" or "https") || !TryParse(request.Host, out var host, out var port) || !IsAllowed(host))
        {
            return false;
        }

        origin = port is { } value ? $"{request.Scheme}://{host}:{value}" : $"{request.Scheme}://{host}";
        return true;
    }

    private bool IsAllowed(string host)
    {
        var bare = host.StartsWith('[') ? host[1..^1] : host;
        if (host == "localhost" || (IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip)))
        {
            return true;
        }

        foreach (var exact in _exact)
        {
            if (string.Equals(exact, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var suffix in _suffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A DNS name or an IP literal, optionally with a decimal port; nothing else (no user info, paths, spaces or quotes).</summary>
    private static bool TryParse(HostString value, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        var text = value.Value;
        if (string.IsNullOrEmpty(text) || !text.All(char.IsAscii))
        {
            return false;
        }

        var name = text;
        var close = text.LastIndexOf(']');
        var colon = text.LastIndexOf(':');
        if (colon > close)
        {
            if (!int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                || number is < 1 or > 65535)
            {
                return false;
            }

            port = number;
            name = text[..colon];
        }

        if (name.StartsWith('['))
        {
            if (!name.EndsWith(']') || Uri.CheckHostName(name[1..^1]) != UriHostNameType.IPv6)
            {
                return false;
            }
        }
        else if (Uri.CheckHostName(name) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
        {
            return false;
        }

        host = name.ToLowerInvariant();
        return true;
    }
}
