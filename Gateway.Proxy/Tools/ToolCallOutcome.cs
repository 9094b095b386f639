using Gateway.Transforms.Pipeline;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Tools;

/// <summary>
/// Either a result for the caller or a rejection that the caller's protocol renders, plus the headers the call's steps
/// decided on for the caller's response (the REST facade sends them; /mcp has already started its response).
/// </summary>
public readonly record struct ToolCallOutcome(CallToolResult? Result, GatewayRejection? Rejection, string? ErrorCode)
{
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; } = [];

    public static ToolCallOutcome Rejected(GatewayRejection rejection) => new(null, rejection, rejection.Code);
}
