namespace Gateway.Transforms.Pipeline;

/// <summary>How a rejection surfaces on the MCP path.</summary>
public enum RejectionKind
{
    /// <summary>A JSON-RPC error (e.g. -32602 for unknown tools and invalid arguments).</summary>
    ProtocolError,

    /// <summary>A <c>CallToolResult</c> with <c>isError: true</c>, so the model can read why and adapt.</summary>
    ToolError,
}

/// <summary>
/// A pipeline step's decision to stop a call before it reaches the backend. Both entry points render it:
/// REST as an HTTP status with a JSON error body, MCP as a JSON-RPC error or an <c>isError</c> result.
/// </summary>
public sealed record GatewayRejection(int StatusCode, string Code, string Message, RejectionKind Kind)
{
    /// <summary>Recorded in the audit entry's <c>security_flags</c> (e.g. <c>cypher_write_attempt</c>).</summary>
    public string? SecurityFlag { get; init; }

    /// <summary>Extra machine-readable detail (clause, position, retry-after...), serialized as the error's data.</summary>
    public IReadOnlyDictionary<string, object?>? Data { get; init; }

    /// <summary>Extra response headers for the REST rendering (e.g. <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>A malformed request (arguments that are not a JSON object at all): JSON-RPC -32602 on /mcp.</summary>
    public static GatewayRejection InvalidArguments(string message) =>
        new(400, GatewayErrorCodes.InvalidArguments, message, RejectionKind.ProtocolError);

    /// <summary>
    /// Well-formed arguments that break the tool's contract (input schema, request binding): an <c>isError</c> result
    /// on /mcp (SEP-1303), because the model reads tool results and can correct the call, while many clients never
    /// show it a JSON-RPC error.
    /// </summary>
    public static GatewayRejection ArgumentsRejected(string message) =>
        new(400, GatewayErrorCodes.InvalidArguments, message, RejectionKind.ToolError);

    public static GatewayRejection ToolNotFound(string toolName) =>
        new(404, GatewayErrorCodes.ToolNotFound, $"Unknown tool '{CallerText.Echo(toolName)}'. Call tools/list to see the tools available to you.", RejectionKind.ProtocolError);

    /// <summary>The REST facade's <c>{"server", "tool"}</c> naming no tool of that server.</summary>
    public static GatewayRejection ToolNotFound(string server, string toolName) =>
        new(404, GatewayErrorCodes.ToolNotFound,
            $"Unknown tool '{CallerText.Echo(toolName)}' on server '{CallerText.Echo(server)}'. GET /tools lists the tools available to you with their servers.",
            RejectionKind.ProtocolError);
}
