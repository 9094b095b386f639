// TEMPORARY STUB: replaced by the real schema compiler from branch h/schema.
using System.Text.Json;

namespace Gateway.Transforms.Schema;

public sealed class ToolSchema
{
    private ToolSchema(JsonElement source) => Source = source;

    public JsonElement Source { get; }

    public static ToolSchema Compile(JsonElement schema, out IReadOnlyList<string> errors)
    {
        var list = new List<string>();
        if (schema.ValueKind != JsonValueKind.Object)
        {
            list.Add("schema must be a JSON object");
        }
        errors = list;
        return new ToolSchema(schema.Clone());
    }

    public SchemaValidationResult Validate(JsonElement arguments) => SchemaValidationResult.Valid;
}

public readonly struct SchemaValidationResult
{
    public static SchemaValidationResult Valid => default;
    public bool IsValid => Errors is null || Errors.Count == 0;
    public IReadOnlyList<SchemaError> Errors { get; init; }
}

public sealed record SchemaError(string Path, string Message);
