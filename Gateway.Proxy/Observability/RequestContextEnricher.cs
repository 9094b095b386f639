using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Puts the request id (<c>RequestId</c>, the one echoed as <c>X-Request-ID</c>) and the W3C trace id (<c>TraceId</c>)
/// on every event logged while a request runs. Read from the request when an event is written, so a request that logs
/// nothing (most succeed quietly) pays for no logging scope.
/// </summary>
internal sealed class RequestContextEnricher(IHttpContextAccessor requests) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (requests.HttpContext is not { } request)
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("RequestId", request.TraceIdentifier));
        if (Activity.Current is { } activity)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("TraceId", activity.TraceId.ToHexString()));
        }
    }
}
