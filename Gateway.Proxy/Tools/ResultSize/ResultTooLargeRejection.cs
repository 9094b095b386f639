using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Tools.ResultSize;

/// <summary>The answer when a backend's answer is larger than the tool's cap: an <c>isError</c> result on /mcp, 502 on REST.</summary>
public static class ResultTooLargeRejection
{
    public static GatewayRejection Create(string toolName, long? declaredBytes, long receivedBytes, long limitBytes)
    {
        var size = declaredBytes is { } declared && declared > limitBytes
            ? $"is {declared} bytes"
            : $"is more than {limitBytes} bytes (stopped reading after {receivedBytes})";
        var data = new Dictionary<string, object?>(3)
        {
            ["limit_bytes"] = limitBytes,
            [declaredBytes > limitBytes ? "size_bytes" : "received_bytes"] = declaredBytes > limitBytes ? declaredBytes : receivedBytes,
        };
        return new GatewayRejection(
            StatusCodes.Status502BadGateway,
            GatewayErrorCodes.ResultTooLarge,
            $"the answer of tool '{toolName}' {size}, over its limit of {limitBytes} bytes; nothing of it is returned. " +
            "Ask for less (a LIMIT, a narrower path, fewer results) and call again.",
            RejectionKind.ToolError)
        {
            Data = data,
        };
    }
}
