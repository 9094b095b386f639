using System.Diagnostics;
using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Proxy.Observability;

/// <summary>
/// First middleware of the host: assigns the request id (echoed as <c>X-Request-ID</c>, and put on every log line by
/// <see cref="RequestContextEnricher"/>) and records <c>http_requests_total</c> / <c>http_request_duration_seconds</c>.
/// </summary>
public sealed class RequestTelemetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayMetrics _metrics;

    public RequestTelemetryMiddleware(RequestDelegate next, GatewayMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[RequestIds.HeaderName];
        var requestId = incoming.Count == 1 && RequestIds.IsWellFormed(incoming[0]) ? incoming[0]! : RequestIds.NewId();
        context.TraceIdentifier = requestId;
        context.Response.Headers[RequestIds.HeaderName] = requestId;

        var started = Stopwatch.GetTimestamp();
        try
        {
            await _next(context);
        }
        finally
        {
            _metrics.RecordHttpRequest(context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }
}
