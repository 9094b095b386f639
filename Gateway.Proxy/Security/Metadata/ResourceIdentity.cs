using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Metadata;

/// <summary>
/// The gateway's identity as an OAuth protected resource (RFC 8707/9728): its resource URLs, metadata URLs and the
/// audiences its tokens must carry. Built from <c>Gateway:Auth:PublicOrigin</c> so it stays right behind a
/// TLS-terminating ingress; without it, the request's own scheme and host are used.
/// </summary>
public sealed class ResourceIdentity
{
    public const string MetadataPath = "/.well-known/oauth-protected-resource";
    public const string McpPath = "/mcp";

    private readonly string? _origin;

    public ResourceIdentity(IOptions<SecurityOptions> options)
    {
        var value = options.Value;
        _origin = value.PublicOrigin is { Length: > 0 } configured && TryParseOrigin(configured, out var origin) ? origin : null;
        var audiences = ParseAudiences(value.Oidc.Audience);
        Audiences = audiences.Count > 0 || _origin is null ? audiences : [_origin + McpPath];
    }

    /// <summary>Accepted <c>aud</c> values.</summary>
    public IReadOnlyList<string> Audiences { get; }

    public string OriginOf(HttpRequest request) => _origin ?? $"{request.Scheme}://{request.Host.Value}";

    /// <summary>The resource a request belongs to: <c>{origin}/mcp</c> for the MCP endpoints, else <c>{origin}</c>.</summary>
    public string ResourceOf(HttpRequest request, bool mcp) => mcp ? OriginOf(request) + McpPath : OriginOf(request);

    /// <summary>Where the metadata of that resource is served (RFC 9728 §3.1: the path is appended to the well-known path).</summary>
    public string MetadataUrlOf(HttpRequest request) =>
        OriginOf(request) + MetadataPath + (IsMcpRequest(request) ? McpPath : string.Empty);

    /// <summary>/mcp and the legacy SSE endpoints speak JSON-RPC; everything else is REST.</summary>
    public static bool IsMcpRequest(HttpRequest request) =>
        request.Path.StartsWithSegments(McpPath, StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/sse", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/messages", StringComparison.OrdinalIgnoreCase);

    public static bool TryParseOrigin(string value, out string origin)
    {
        origin = string.Empty;
        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        origin = uri.GetLeftPart(UriPartial.Authority);
        return true;
    }

    public static IReadOnlyList<string> ParseAudiences(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
