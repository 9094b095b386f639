namespace Gateway.Transforms.Schema;

/// <summary>Choices that change how a schema is compiled.</summary>
public sealed record ToolSchemaOptions
{
    public static ToolSchemaOptions Default { get; } = new();

    /// <summary>
    /// When true, <c>format</c> is enforced for date-time, email, uri and uuid, and any other format name is a config
    /// error (it could not be enforced). When false (the default, as in JSON Schema 2020-12), format is an annotation.
    /// </summary>
    public bool AssertFormats { get; init; }
}
