namespace Gateway.Transforms.Schema;

/// <summary>Which MCP tool schema is being compiled: it decides the config pointer root and the nouns in messages.</summary>
public enum ToolSchemaRole
{
    /// <summary><c>inputSchema</c>, validating a call's <c>arguments</c>.</summary>
    Input,

    /// <summary><c>outputSchema</c>, validating a result's <c>structuredContent</c>.</summary>
    Output,
}
