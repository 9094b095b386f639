using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// The facts about one finished call, observed once: <see cref="HttpContext"/> is the caller's own request;
/// <see cref="Route"/> and <see cref="Call"/> are null for a tool call refused before it reached a route (unknown or
/// hidden tool, malformed arguments).
/// </summary>
public readonly record struct GatewayCallRecord(
    HttpContext HttpContext,
    RouteModel? Route,
    GatewayCall? Call,
    int StatusCode,
    string? ErrorCode,
    TimeSpan Elapsed)
{
    /// <summary>Set when a tool call was refused before it reached a route.</summary>
    public string? RequestedTool { get; init; }

    /// <summary>The rejection that stopped the call, if one did.</summary>
    public GatewayRejection? Rejection { get; init; }

    public string? ToolName => Call?.Tool?.Name ?? RequestedTool;

    public bool IsToolCall => ToolName is not null;

    public string? ClusterId => Route?.Cluster?.ClusterId ?? Route?.Config.ClusterId;

    public IReadOnlyList<string> SecurityFlags => Call?.SecurityFlags ?? (Rejection?.SecurityFlag is { } flag ? [flag] : []);

    public bool Succeeded => ErrorCode is null && StatusCode is >= 200 and < 400;
}
