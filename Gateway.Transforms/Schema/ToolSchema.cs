using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>
/// A tool's declared inputSchema (or outputSchema), compiled once at config time into a tree of checks.
/// Immutable and thread-safe; <see cref="Validate"/> allocates nothing when the value is valid.
/// </summary>
/// <remarks>
/// Supported keywords: type, properties, required, additionalProperties, items, enum, const, minLength, maxLength,
/// pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, minItems, maxItems, uniqueItems,
/// minProperties, maxProperties, allOf, anyOf, oneOf, and format when <see cref="ToolSchemaOptions.AssertFormats"/>
/// is on. Annotations (title, description, default, examples, format, $schema, $id, $comment, deprecated, readOnly,
/// writeOnly, $defs, x-*) are ignored; every other keyword is a config error, because silently ignoring an assertion
/// would let invalid calls through. A <c>default</c> that violates its own schema is a config error too.
/// Patterns use .NET regular expressions (NonBacktracking where the pattern allows it), not ECMA-262.
/// </remarks>
public sealed class ToolSchema
{
    /// <summary>Validation stops after this many errors; the caller can fix those first.</summary>
    public const int MaxReportedErrors = 20;

    private static readonly JsonElement EmptyObject = ParseEmptyObject();

    private readonly SchemaNode _root;
    private readonly ValidationSubject _subject;
    private readonly SchemaValidationResult? _misconfigured;

    private ToolSchema(JsonElement source, ToolSchemaRole role, SchemaNode root, IReadOnlyList<string> configErrors)
    {
        Source = source;
        Role = role;
        _root = root;
        _subject = ValidationSubject.For(role);
        ConfigErrors = configErrors;
        if (configErrors.Count > 0)
        {
            string schemaName = role == ToolSchemaRole.Output ? "output schema" : "input schema";
            _misconfigured = new SchemaValidationResult(
            [
                new SchemaError("$", $"this tool's {schemaName} is misconfigured in the gateway, so it cannot be checked and the call is rejected; the gateway operator must fix it"),
            ]);
        }
    }

    private static JsonElement ParseEmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    /// <summary>The declared schema as given (a private copy), to publish in tools/list.</summary>
    public JsonElement Source { get; }

    public ToolSchemaRole Role { get; }

    /// <summary>The problems found at compile time; empty when usable.</summary>
    public IReadOnlyList<string> ConfigErrors { get; }

    /// <summary>Compiles an inputSchema. See <see cref="Compile(JsonElement, ToolSchemaRole, out IReadOnlyList{string})"/>.</summary>
    public static ToolSchema Compile(JsonElement schema, out IReadOnlyList<string> errors) =>
        Compile(schema, ToolSchemaRole.Input, out errors);

    /// <summary>
    /// Compiles a declared schema. <paramref name="errors"/> lists every problem as "pointer: message", e.g.
    /// "inputSchema/properties/top_k/type: 'integr' is not a JSON Schema type; ...". When there are errors the
    /// returned schema fails closed: <see cref="Validate"/> rejects every value, so a broken config never lets
    /// unchecked calls through even if the caller forgets to look at the errors.
    /// </summary>
    public static ToolSchema Compile(JsonElement schema, ToolSchemaRole role, out IReadOnlyList<string> errors) =>
        Compile(schema, role, ToolSchemaOptions.Default, out errors);

    /// <summary>As <see cref="Compile(JsonElement, ToolSchemaRole, out IReadOnlyList{string})"/>, with non-default options.</summary>
    public static ToolSchema Compile(JsonElement schema, ToolSchemaRole role, ToolSchemaOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = schema.ValueKind == JsonValueKind.Undefined ? default : schema.Clone();
        var root = SchemaCompiler.CompileToolSchema(source, role, options, out var problems);
        errors = problems;
        return new ToolSchema(source, role, root, problems);
    }

    /// <summary>
    /// Checks a value against the schema. For an inputSchema, absent arguments (Undefined) and JSON null both mean
    /// <c>{}</c>, as MCP clients send either for a call without arguments. For an outputSchema they are errors:
    /// a tool that declares one must return structuredContent.
    /// </summary>
    public SchemaValidationResult Validate(JsonElement value)
    {
        if (_misconfigured is { } rejected) return rejected;
        if (Role == ToolSchemaRole.Input && value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            value = EmptyObject;
        }

        var context = ValidationContext.Rent(_subject);
        _root.Validate(value, context);
        return ValidationContext.Return(context);
    }
}
