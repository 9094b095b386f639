using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Transforms.Pipeline;

/// <summary>What a step may look at: the call's HttpContext, its route, and the tool call when there is one.</summary>
public readonly struct GatewayStepContext
{
    public GatewayStepContext(HttpContext httpContext, RouteModel route, ToolCallFeature? toolCall, GatewayCallFeature call)
    {
        HttpContext = httpContext;
        Route = route;
        ToolCall = toolCall;
        Call = call;
    }

    public HttpContext HttpContext { get; }

    public RouteModel Route { get; }

    /// <summary>Null for REST passthrough routes.</summary>
    public ToolCallFeature? ToolCall { get; }

    public GatewayCallFeature Call { get; }
}
