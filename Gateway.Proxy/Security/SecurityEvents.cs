using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Security.Authentication;

namespace Gateway.Proxy.Security;

/// <summary>
/// Counts and logs security events on the <c>mcp_gateway.security</c> category. Never logs credentials:
/// only the reason, the request path, the client address and, for API keys, the key id.
/// </summary>
public sealed partial class SecurityEvents
{
    public const string LoggerCategory = "mcp_gateway.security";

    private readonly ILogger _logger;
    private readonly GatewayMetrics _metrics;

    public SecurityEvents(ILoggerFactory loggerFactory, GatewayMetrics metrics)
    {
        _logger = loggerFactory.CreateLogger(LoggerCategory);
        _metrics = metrics;
    }

    public void AuthenticationFailed(HttpContext context, AuthFailure failure)
    {
        _metrics.RecordAuthFailure(failure.Reason);
        Log.AuthenticationFailed(_logger, failure.Reason, failure.Description, context.Request.Method, context.Request.Path.Value,
            context.Connection.RemoteIpAddress?.ToString(), context.TraceIdentifier);
    }

    public void AccessDenied(HttpContext context, string routeId, string subject, string detail)
    {
        _metrics.RecordAuthFailure(AuthFailureReasons.Forbidden);
        Log.AccessDenied(_logger, subject, routeId, detail, context.TraceIdentifier);
    }

    public void AuthenticationDisabled(bool exposed)
    {
        if (exposed)
        {
            Log.AuthenticationDisabledExposed(_logger);
        }
        else
        {
            Log.AuthenticationDisabled(_logger);
        }
    }

    public void KeysRefreshFailed(string url, string error) => Log.KeysRefreshFailed(_logger, url, error);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Warning,
            Message = "Authentication failed ({Reason}): {Description} [{Method} {Path} from {RemoteAddress}, request {RequestId}]")]
        public static partial void AuthenticationFailed(ILogger logger, string reason, string description, string method, string? path, string? remoteAddress, string requestId);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
            Message = "Access denied to '{Subject}' on route '{RouteId}': {Detail} [request {RequestId}]")]
        public static partial void AccessDenied(ILogger logger, string subject, string routeId, string detail, string requestId);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
            Message = "AUTHENTICATION IS DISABLED (Gateway:Auth:Enabled=false): every caller is anonymous and may call every tool. " +
                "This is allowed only because the gateway listens on loopback addresses only; never expose it like this.")]
        public static partial void AuthenticationDisabled(ILogger logger);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Critical,
            Message = "AUTHENTICATION IS DISABLED ON A NETWORK ADDRESS (Gateway:Auth:AllowAnonymousInProduction=true): every caller is anonymous " +
                "and may call every tool. Make sure something in front of the gateway authenticates every request.")]
        public static partial void AuthenticationDisabledExposed(ILogger logger);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Could not refresh the signing keys from {Url}: {Error}; the previous keys stay in use")]
        public static partial void KeysRefreshFailed(ILogger logger, string url, string error);
    }
}
