namespace Gateway.Proxy.Mcp;

/// <summary>Header names of the Streamable HTTP transport (the SDK keeps its own constants internal).</summary>
public static class McpHttpHeaders
{
    public const string SessionId = "Mcp-Session-Id";
    public const string ProtocolVersion = "MCP-Protocol-Version";
    public const string LastEventId = "Last-Event-ID";
    public const string Method = "Mcp-Method";
    public const string Name = "Mcp-Name";
}
