using System.Diagnostics;
using Gateway.Proxy.Resilience;
using Gateway.Transforms.Configuration;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// The passthrough entry point: the first middleware of YARP's proxy pipeline makes each REST request on a
/// passthrough route a <see cref="GatewayCall"/> and puts it through the <see cref="CallPipeline"/>. A tool call
/// arrives here already decided (the dispatcher ran the same pipeline), so it only goes on to forwarding.
/// </summary>
public sealed class GatewayPipelineMiddleware
{
    private readonly RequestDelegate _next;
    private readonly CallPipeline _pipeline;

    public GatewayPipelineMiddleware(RequestDelegate next, CallPipeline pipeline)
    {
        _next = next;
        _pipeline = pipeline;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<GatewayCall>() is { IsAdmitted: true })
        {
            return _next(context);
        }

        return PassthroughAsync(context);
    }

    private async Task PassthroughAsync(HttpContext context)
    {
        var route = context.GetReverseProxyFeature().Route;
        if (route.Config.Metadata?.ContainsKey(RoutesDocumentParser.ToolMetadataKey) == true)
        {
            // Tool routes carry no arguments of their own; they are reached through /mcp or /tools/call only.
            await RejectionWriter.WriteAsync(context, new GatewayRejection(
                StatusCodes.Status404NotFound, GatewayErrorCodes.NotFound,
                "Not found. Tools are called through /mcp or POST /tools/call.", RejectionKind.ProtocolError));
            return;
        }

        var call = GatewayCall.ForPassthrough(context.Request);
        context.Features.Set(call);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (await _pipeline.DecideAsync(context, route, call) is { } rejection)
            {
                await RejectionWriter.WriteAsync(context, rejection);
                return;
            }

            if (call.ResponseHeaders.Count > 0)
            {
                CallResponseHeaders.ApplyOnStarting(context.Response, call.ResponseHeaders);
            }

            await _next(context);
            if (RaisedInsideYarp(context, call) is { } raised && !context.Response.HasStarted)
            {
                await RejectionWriter.WriteAsync(context, raised);
            }
        }
        finally
        {
            _pipeline.Observe(Record(context, route, call, Stopwatch.GetElapsedTime(started)));
        }
    }

    /// <summary>What the gateway decided while YARP had the request: a rejection, or a failure it explains itself (its route timeout).</summary>
    private static GatewayRejection? RaisedInsideYarp(HttpContext context, GatewayCall call) =>
        call.Rejection ?? (context.Features.Get<IForwarderErrorFeature>() as GatewayForwarderError)?.Explanation;

    private static GatewayCallRecord Record(HttpContext context, Yarp.ReverseProxy.Model.RouteModel route, GatewayCall call, TimeSpan elapsed)
    {
        var status = context.Response.StatusCode;
        var errorCode = call.Rejection?.Code;
        if (errorCode is null)
        {
            var forwarderError = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
            if (forwarderError != ForwarderError.None || status >= 400)
            {
                errorCode = ToolResultMapper.ClassifyFailure(new BackendResponse(status, null, default, forwarderError));
            }
        }

        return new GatewayCallRecord(context, route, call, status, errorCode, elapsed) { Rejection = call.Rejection };
    }
}
