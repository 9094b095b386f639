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
    private readonly RequestHostRule _hosts;
    private readonly bool _publishesMetadata;

    public ResourceIdentity(IOptions<SecurityOptions> options, RequestHostRule hosts)
    {
        _hosts = hosts;
        var value = options.Value;
        _publishesMetadata = value.HasAuthorizationServer;
        _origin = value.PublicOrigin is { Length: > 0 } configured && TryParseOrigin(configured, out var origin) ? origin : null;
        var audiences = ParseAudiences(value.Oidc.Audience);
        Audiences = audiences.Count > 0 || _origin is null ? audiences : [_origin + McpPath];
    }

    /// <summary>Accepted <c>aud</c> values.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>
    /// True when the origin is configured, so nothing built from it depends on the request (cacheable by anyone);
    /// false when it is taken from the request's Host.
    /// </summary>
    public bool HasPublicOrigin => _origin is not null;

    /// <summary>The configured origin, or the request's own when its Host passes <see cref="RequestHostRule"/>; false otherwise.</summary>
    public bool TryGetOrigin(HttpRequest request, out string origin)
    {
        if (_origin is not null)
        {
            origin = _origin;
            return true;
        }

        return _hosts.TryGetOrigin(request, out origin);
    }

    /// <summary>The resource a request belongs to: <c>{origin}/mcp</c> for the MCP endpoints, else <c>{origin}</c>.</summary>
    public bool TryGetResource(HttpRequest request, bool mcp, out string resource)
    {
        resource = TryGetOrigin(request, out var origin) ? (mcp ? origin + McpPath : origin) : string.Empty;
        return resource.Length > 0;
    }

    /// <summary>
    /// Where the metadata of that resource is served (RFC 9728 §3.1: the path is appended to the well-known path);
    /// false when no authorization server exists, as then no metadata is published.
    /// </summary>
    public bool TryGetMetadataUrl(HttpRequest request, out string url)
    {
        url = _publishesMetadata && TryGetOrigin(request, out var origin) ? origin + MetadataPath + (IsMcpRequest(request) ? McpPath : string.Empty) : string.Empty;
        return url.Length > 0;
    }

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
