using System.Diagnostics;
using Gateway.Transforms.Configuration;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// The gateway's steps inside YARP's proxy pipeline. Every proxied call passes here, whether it came from MCP
/// <c>tools/call</c>, the REST facade or a REST passthrough route, so each concern has exactly one implementation.
/// </summary>
public sealed class GatewayPipelineMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IGatewayStep[] _steps;
    private readonly IGatewayCallObserver[] _observers;

    public GatewayPipelineMiddleware(RequestDelegate next, IEnumerable<IGatewayStep> steps, IEnumerable<IGatewayCallObserver> observers)
    {
        _next = next;
        _steps = steps.OrderBy(s => s.Order).ToArray();
        _observers = observers.ToArray();
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetReverseProxyFeature().Route;
        var toolCall = context.Features.Get<ToolCallFeature>();
        if (toolCall is null && route.Config.Metadata?.ContainsKey(RoutesDocumentParser.ToolMetadataKey) == true)
        {
            // Tool routes carry no arguments of their own; they are reached through /mcp or /tools/call only.
            await RejectionWriter.WriteAsync(context, new GatewayRejection(
                StatusCodes.Status404NotFound, GatewayErrorCodes.NotFound,
                "Not found. Tools are called through /mcp or POST /tools/call.", RejectionKind.ProtocolError));
            return;
        }

        var call = new GatewayCallFeature();
        context.Features.Set(call);
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var step in _steps)
            {
                var rejection = await step.InvokeAsync(new GatewayStepContext(context, route, toolCall, call));
                if (rejection is not null)
                {
                    await Rejections.RejectAsync(context, rejection);
                    return;
                }
            }

            await _next(context);
        }
        finally
        {
            if (_observers.Length > 0)
            {
                Notify(context, route, toolCall, call, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    private void Notify(HttpContext context, RouteModel route, ToolCallFeature? toolCall, GatewayCallFeature call, TimeSpan elapsed)
    {
        // Steps, transforms and the resilience layer all reject through Rejections, which records it here.
        var rejection = call.Rejection;
        var status = context.Response.StatusCode;
        var errorCode = rejection?.Code;
        if (errorCode is null)
        {
            var forwarderError = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
            if (forwarderError != ForwarderError.None || status >= 400)
            {
                errorCode = ToolResultMapper.ClassifyFailure(new BackendResponse(status, null, default, forwarderError));
            }
        }

        var record = new GatewayCallRecord(context, route, toolCall, call, status, errorCode, elapsed);
        foreach (var observer in _observers)
        {
            observer.OnCallCompleted(record);
        }
    }
}
