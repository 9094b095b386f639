namespace Gateway.Proxy.Mcp;

/// <summary>Header names of the Streamable HTTP transport (the SDK keeps its own constants internal).</summary>
public static class McpHttpHeaders
{
    public const string SessionId = "Mcp-Session-Id";
    public const string ProtocolVersion = "MCP-Protocol-Version";
}
