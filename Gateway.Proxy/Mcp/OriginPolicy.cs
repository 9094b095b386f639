using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Origin allow-list check for /mcp and /sse (DNS-rebinding protection). Origins are compared in canonical form
/// (scheme, lower-cased host, effective port) after parsing, never as raw strings.
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

    /// <summary>Answers 403 (JSON-RPC shaped) and returns false when the request's Origin is not allowed.</summary>
    public async ValueTask<bool> AllowOrRejectAsync(HttpContext context)
    {
        if (IsAllowed(context.Request))
        {
            return true;
        }

        await JsonRpcErrors.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrors.ServerError,
            "Forbidden: the Origin header is not in Gateway:Mcp:AllowedOrigins.");
        return false;
    }

    /// <summary>True when the request has no Origin (not a browser) or its Origin is allowed.</summary>
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (origin.Count == 0)
        {
            return true;
        }

        if (origin.Count > 1 || !Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var uri)
            || uri.AbsolutePath is not ("/" or "") || !string.IsNullOrEmpty(uri.Query) || uri.UserInfo.Length > 0)
        {
            return false;
        }

        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Scheme, uri.Scheme, StringComparison.OrdinalIgnoreCase)
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
            || uri.AbsolutePath != "/" || candidate.EndsWith('/') || !string.IsNullOrEmpty(uri.Query))
        {
            return false;
        }

        entry = new Entry(uri.Scheme, uri.IdnHost, anyPort ? null : uri.Port);
        return true;
    }

    internal readonly record struct Entry(string Scheme, string Host, int? Port);
}
