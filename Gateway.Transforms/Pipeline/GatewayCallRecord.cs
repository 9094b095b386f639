using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Transforms.Pipeline;

/// <summary>The facts about one finished call: proxied, or a tool call refused before it reached a route (<see cref="Route"/> null).</summary>
public readonly record struct GatewayCallRecord(
    HttpContext HttpContext,
    RouteModel? Route,
    ToolCallFeature? ToolCall,
    GatewayCallFeature Call,
    int StatusCode,
    string? ErrorCode,
    TimeSpan Elapsed)
{
    /// <summary>Set when a tool call was refused before it reached a route (unknown or hidden tool, malformed arguments).</summary>
    public string? RequestedTool { get; init; }

    public string? ToolName => ToolCall?.Tool.Name ?? RequestedTool;

    public string? ClusterId => Route?.Cluster?.ClusterId ?? Route?.Config.ClusterId;

    public bool Succeeded => ErrorCode is null && StatusCode is >= 200 and < 400;
}
