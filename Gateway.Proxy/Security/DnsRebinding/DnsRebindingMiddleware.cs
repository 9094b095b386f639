using Gateway.Proxy.Mcp;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Security.Metadata;
using Gateway.Transforms.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.DnsRebinding;

/// <summary>
/// DNS-rebinding protection for every endpoint that acts for a caller (MCP, the REST facade, passthrough routes,
/// status, metrics, unknown paths); only the liveness and readiness probes are exempt. It runs before the
/// X-Forwarded-* headers are applied, because a page that rebinds a name to 127.0.0.1 connects from loopback,
/// which is a trusted proxy by default, and could otherwise forge <c>X-Forwarded-Host</c>.
/// </summary>
public sealed partial class DnsRebindingMiddleware
{
    private static readonly PathString[] s_probePaths = ["/health", "/ready"];

    private readonly RequestDelegate _next;
    private readonly HostPolicy _hosts;
    private readonly OriginPolicy _origins;
    private readonly PathString _pathBase;
    private readonly ILogger _logger;

    public DnsRebindingMiddleware(RequestDelegate next, HostPolicy hosts, OriginPolicy origins, IOptions<IngressOptions> ingress, ILoggerFactory loggerFactory)
    {
        _next = next;
        _hosts = hosts;
        _origins = origins;
        _pathBase = new PathString(ingress.Value.PathBase);
        _logger = loggerFactory.CreateLogger(SecurityEvents.LoggerCategory);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = _pathBase.HasValue && request.Path.StartsWithSegments(_pathBase, StringComparison.OrdinalIgnoreCase, out var rest) ? rest : request.Path;
        if (IsProbe(path))
        {
            return _next(context);
        }

        if (!_hosts.IsAllowed(request))
        {
            Log.HostRefused(_logger, request.Host.Value ?? "(none)", request.Method, path.Value ?? "/");
            return RejectAsync(context, path,
                $"Forbidden: the Host header '{request.Host.Value}' is not served here. With authentication off only localhost, loopback addresses and Gateway:Mcp:AllowedHosts are accepted (DNS-rebinding protection); use http://127.0.0.1:<port> or list the host.");
        }

        if (!_origins.IsAllowed(request))
        {
            Log.OriginRefused(_logger, request.Headers.Origin.ToString(), request.Method, path.Value ?? "/");
            return RejectAsync(context, path, "Forbidden: the Origin header is not in Gateway:Mcp:AllowedOrigins (DNS-rebinding protection).");
        }

        return _next(context);
    }

    private static bool IsProbe(PathString path)
    {
        foreach (var probe in s_probePaths)
        {
            if (path.Equals(probe, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Task RejectAsync(HttpContext context, PathString path, string message)
    {
        if (IsMcpPath(path))
        {
            return JsonRpcErrors.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrors.ServerError, message);
        }

        return RejectionWriter.WriteAsync(context, new GatewayRejection(StatusCodes.Status403Forbidden, GatewayErrorCodes.Forbidden, message, RejectionKind.ProtocolError));
    }

    private static bool IsMcpPath(PathString path) =>
        path.StartsWithSegments(ResourceIdentity.McpPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/sse", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/messages", StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: Host '{Host}' is not allowed (DNS-rebinding protection)")]
        public static partial void HostRefused(ILogger logger, string host, string method, string path);

        [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: Origin '{Origin}' is not allowed (DNS-rebinding protection)")]
        public static partial void OriginRefused(ILogger logger, string origin, string method, string path);
    }
}
