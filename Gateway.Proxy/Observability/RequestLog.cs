using Gateway.Proxy.Security.Authorization;
using Serilog;

namespace Gateway.Proxy.Observability;

/// <summary>
/// The one log line per request (Serilog's request logging): method, path, status and elapsed time in the message;
/// <c>RequestId</c>, <c>Principal</c> and, for tool calls, <c>Tool</c> (set by <see cref="RequestLogCallObserver"/>) as properties.
/// </summary>
internal static class RequestLog
{
    public const string MessageTemplate = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0000} ms";

    public static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        diagnostics.Set("RequestId", context.TraceIdentifier);
        var caller = context.RequestServices.GetService<CallerIdentityResolver>()?.Resolve(context.User);
        diagnostics.Set("Principal", caller?.Subject ?? "anonymous");
    }
}
