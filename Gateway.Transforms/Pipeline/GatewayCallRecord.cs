using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Transforms.Pipeline;

/// <summary>The facts about one finished proxied call.</summary>
public readonly record struct GatewayCallRecord(
    HttpContext HttpContext,
    RouteModel Route,
    ToolCallFeature? ToolCall,
    GatewayCallFeature Call,
    int StatusCode,
    string? ErrorCode,
    TimeSpan Elapsed)
{
    public bool Succeeded => ErrorCode is null && StatusCode is >= 200 and < 400;
}
