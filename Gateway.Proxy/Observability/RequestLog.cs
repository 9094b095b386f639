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
        : context.Response.StatusCode >= StatusCodes.Status400BadRequest || context.Features.Get<CallFields>()?.Error is not null ? LogEventLevel.Warning
        : LogEventLevel.Debug;

    /// <summary>
    /// Keeps a call's tool and error (null when it succeeded) on the request until its line is written. Kept on the
    /// request rather than in Serilog's diagnostic context: that builds log properties for every call, and the line of a
    /// successful call is usually below the level that is written.
    /// </summary>
    public static void NoteCall(HttpContext context, string? tool, string? error)
    {
        if (tool is null && error is null)
        {
            return;
        }

        var fields = context.Features.Get<CallFields>();
        if (fields is null)
        {
            fields = new CallFields();
            context.Features.Set(fields);
        }

        fields.Tool = tool ?? fields.Tool;
        fields.Error = error ?? fields.Error;
    }

    public static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        diagnostics.Set("RequestId", context.TraceIdentifier);
        var caller = context.RequestServices.GetService<CallerIdentityResolver>()?.Resolve(context.User);
        diagnostics.Set("Principal", caller?.Subject ?? "anonymous");
        if (context.Features.Get<CallFields>() is { } call)
        {
            if (call.Tool is not null)
            {
                diagnostics.Set("Tool", call.Tool);
            }

            if (call.Error is not null)
            {
                diagnostics.Set("Error", call.Error.Length == 0 ? null : call.Error);
            }
        }
    }

    private sealed class CallFields
    {
        public string? Tool { get; set; }

        /// <summary>The failed call's error code; empty when it failed without one.</summary>
        public string? Error { get; set; }
    }
}
