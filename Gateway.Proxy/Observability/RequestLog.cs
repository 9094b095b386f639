using Gateway.Proxy.Security.Authorization;
using Serilog;
using Serilog.Events;

namespace Gateway.Proxy.Observability;

/// <summary>
/// The one log line per request (Serilog's request logging): method, path, status and elapsed time in the message;
/// <c>RequestId</c>, <c>Principal</c> and, for tool calls, <c>Tool</c> and a failed call's <c>Error</c> (set by
/// <see cref="RequestLogCallObserver"/>) as properties. Quiet on success, loud on trouble: a successful request logs at
/// Debug (the audit trail already has every call), a refused or failed request or tool call at Warning, a 5xx or an
/// exception at Error.
/// </summary>
internal static class RequestLog
{
    public const string MessageTemplate = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0000} ms";

    public static LogEventLevel GetLevel(HttpContext context, double elapsedMs, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : context.Response.StatusCode >= StatusCodes.Status400BadRequest || context.Features.Get<FailedCall>() is not null ? LogEventLevel.Warning
        : LogEventLevel.Debug;

    /// <summary>Marks a request whose tool call failed although its HTTP status is 200 (an MCP <c>isError</c> result).</summary>
    public static void MarkFailed(HttpContext context) => context.Features.Set(FailedCall.Instance);

    public static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        diagnostics.Set("RequestId", context.TraceIdentifier);
        var caller = context.RequestServices.GetService<CallerIdentityResolver>()?.Resolve(context.User);
        diagnostics.Set("Principal", caller?.Subject ?? "anonymous");
    }

    private sealed class FailedCall
    {
        public static readonly FailedCall Instance = new();
    }
}
