using Gateway.Transforms.Pipeline;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Tools;

/// <summary>Either a result for the caller or a rejection that the caller's protocol renders.</summary>
public readonly record struct ToolCallOutcome(CallToolResult? Result, GatewayRejection? Rejection, string? ErrorCode)
{
    public static ToolCallOutcome Rejected(GatewayRejection rejection) => new(null, rejection, rejection.Code);
}
