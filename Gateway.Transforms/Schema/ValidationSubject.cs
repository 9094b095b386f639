namespace Gateway.Transforms.Schema;

/// <summary>The nouns a message uses for the validated value: "arguments" / "argument 'top_k'".</summary>
internal sealed record ValidationSubject(string Whole, string Member)
{
    public static readonly ValidationSubject Arguments = new("arguments", "argument");
    public static readonly ValidationSubject StructuredContent = new("structuredContent", "field");
    public static readonly ValidationSubject DefaultValue = new("the default", "default field");

    public static ValidationSubject For(ToolSchemaRole role) => role == ToolSchemaRole.Output ? StructuredContent : Arguments;
}
