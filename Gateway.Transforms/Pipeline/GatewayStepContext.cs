using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Transforms.Pipeline;

/// <summary>What a step may look at: the call, its route, and the caller's HTTP request (who, from where, cancellation).</summary>
public readonly struct GatewayStepContext
{
    public GatewayStepContext(HttpContext caller, RouteModel route, GatewayCall call)
    {
        HttpContext = caller;
        Route = route;
        Call = call;
    }

    /// <summary>The caller's own request: /mcp, /messages, /tools/call, or the passthrough request itself.</summary>
    public HttpContext HttpContext { get; }

    public RouteModel Route { get; }

    public GatewayCall Call { get; }

    /// <summary>The tool being called; null on a passthrough route.</summary>
    public Catalog.ToolDefinition? Tool => Call.Tool;
}
