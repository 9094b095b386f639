using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Transforms.Schema;

/// <summary>
/// Turns a declared schema into a <see cref="SchemaNode"/> tree, collecting every configuration problem with the
/// JSON pointer of the offending keyword. Recursion is depth-bounded, so hostile nesting yields an error, not a crash.
/// </summary>
internal sealed class SchemaCompiler
{
    public const int MaxDepth = 32;
    public const int MaxErrors = 100;

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly List<string> _errors = [];
    private List<string> _pointer = [];
    private readonly ToolSchemaOptions _options;
    private readonly SchemaReferences _references = new();

    private SchemaCompiler(string rootName, ToolSchemaOptions options)
    {
        _pointer.Add(rootName);
        _options = options;
    }

    /// <summary>Compiles a tool's inputSchema/outputSchema; MCP requires both to be object schemas.</summary>
    public static SchemaNode CompileToolSchema(JsonElement schema, ToolSchemaRole role, ToolSchemaOptions options, out List<string> errors)
    {
        string rootName = role == ToolSchemaRole.Output ? "outputSchema" : "inputSchema";
        var compiler = new SchemaCompiler(rootName, options);
        SchemaNode root;
        try
        {
            root = compiler.CompileRoot(schema, rootName);
        }
        catch (InvalidOperationException)
        {
            // Thrown only by decoding a name or string whose escapes are a lone UTF-16 surrogate.
            compiler._pointer.RemoveRange(1, compiler._pointer.Count - 1);
            compiler.Error("contains a string with an invalid \\uD800-\\uDFFF escape (a lone surrogate); fix the text");
            root = SchemaNode.RejectAll;
        }
        errors = compiler._errors;
        return root;
    }

    private SchemaNode CompileRoot(JsonElement schema, string rootName)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            Error($"must be a JSON Schema object with \"type\": \"object\", got {JsonTypeNames.KindName(schema.ValueKind)}");
            return SchemaNode.RejectAll;
        }

        _references.Root = schema;
        var root = CompileObject(schema, depth: 0, out var types);
        if (!schema.TryGetProperty("type", out _))
        {
            Error($"MCP requires {rootName} to declare \"type\": \"object\"; add it");
        }
        else if (types != JsonTypes.None && types != JsonTypes.Object)
        {
            Enter("type");
            Error($"MCP requires {rootName} to be \"object\", got {JsonTypeNames.Describe(types)}");
            Exit();
        }
        return root;
    }

    private SchemaNode CompileSubschema(JsonElement schema, int depth)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return SchemaNode.AcceptAll;
            case JsonValueKind.False:
                return SchemaNode.RejectAll;
            case JsonValueKind.Object:
                return CompileObject(schema, depth, out _);
            default:
                Error($"must be a schema (a JSON object, true or false), got {JsonTypeNames.KindName(schema.ValueKind)}");
                return SchemaNode.RejectAll;
        }
    }

    private SchemaNode CompileObject(JsonElement schema, int depth, out JsonTypes types)
    {
        types = JsonTypes.None;
        if (depth > MaxDepth)
        {
            Error($"schema is nested more than {MaxDepth} levels deep; flatten it");
            return SchemaNode.RejectAll;
        }

        var builder = new SchemaNodeBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        JsonElement? defaultValue = null;
        foreach (var keyword in schema.EnumerateObject())
        {
            Enter(keyword.Name);
            if (!seen.Add(keyword.Name))
            {
                Error($"keyword '{keyword.Name}' appears more than once in the same schema; keep one");
            }
            else if (keyword.NameEquals("default"))
            {
                defaultValue = keyword.Value;
            }
            else
            {
                ReadKeyword(keyword.Name, keyword.Value, builder, depth);
            }
            Exit();
        }

        CheckConsistency(builder);
        var node = builder.Build();
        if (builder.Reference is { } referenced && node == SchemaNode.AcceptAll)
        {
            // A schema that is only a $ref (plus annotations) is its target; one with more keywords gets both.
            node = referenced;
        }

        if (defaultValue is { } value)
        {
            CheckDefault(node, value);
        }
        types = builder.Types;
        return node;
    }

    private void ReadKeyword(string name, JsonElement value, SchemaNodeBuilder builder, int depth)
    {
        switch (name)
        {
            case "type": builder.Types = ReadTypes(value); break;
            case "properties": builder.Properties = ReadProperties(value, depth); break;
            case "required": builder.Required = ReadRequired(value); break;
            case "additionalProperties": ReadAdditionalProperties(value, builder, depth); break;
            case "items": builder.Items = ReadItems(value, depth); break;
            case "enum": builder.Enum = ReadEnum(value); break;
            case "const": builder.Const = value.Clone(); break;
            case "minLength": builder.MinLength = ReadCount(value); break;
            case "maxLength": builder.MaxLength = ReadCount(value); break;
            case "minItems": builder.MinItems = ReadCount(value); break;
            case "maxItems": builder.MaxItems = ReadCount(value); break;
            case "minProperties": builder.MinProperties = ReadCount(value); break;
            case "maxProperties": builder.MaxProperties = ReadCount(value); break;
            case "minimum": builder.Minimum = ReadBound(value); break;
            case "maximum": builder.Maximum = ReadBound(value); break;
            case "exclusiveMinimum": builder.ExclusiveMinimum = ReadBound(value); break;
            case "exclusiveMaximum": builder.ExclusiveMaximum = ReadBound(value); break;
            case "multipleOf": builder.MultipleOf = ReadMultipleOf(value); break;
            case "uniqueItems": builder.UniqueItems = ReadFlag(value); break;
            case "pattern": builder.Pattern = ReadPattern(value); break;
            case "allOf": builder.AllOf = ReadAlternatives(value, depth); break;
            case "anyOf": builder.AnyOf = ReadAlternatives(value, depth); break;
            case "oneOf": builder.OneOf = ReadAlternatives(value, depth); break;
            case "format": builder.Format = ReadFormat(value); break;
            case "$ref": builder.Reference = ReadReference(value, depth); break;
            case "description" when value.ValueKind == JsonValueKind.String: builder.Description = value.GetString(); break;
            default: ReadUnknown(name); break;
        }
    }

    private JsonTypes ReadTypes(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return ReadTypeName(value);
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error($"must be a type name or an array of type names, got {JsonTypeNames.KindName(value.ValueKind)}");
            return JsonTypes.None;
        }
        if (value.GetArrayLength() == 0)
        {
            Error($"must list at least one type ({JsonTypeNames.AllowedList})");
            return JsonTypes.None;
        }

        var types = JsonTypes.None;
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Enter(index++);
            var type = ReadTypeName(item);
            if ((types & type) != 0) Error($"'{item.GetString()}' is listed more than once");
            types |= type;
            Exit();
        }
        return types;
    }

    private JsonTypes ReadTypeName(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"must be a type name ({JsonTypeNames.AllowedList}), got {JsonTypeNames.KindName(value.ValueKind)}");
            return JsonTypes.None;
        }
        string name = value.GetString()!;
        if (!JsonTypeNames.TryParse(name, out var type))
        {
            Error($"'{name}' is not a JSON Schema type; use one of {JsonTypeNames.AllowedList}");
        }
        return type;
    }

    private List<KeyValuePair<string, SchemaNode>>? ReadProperties(JsonElement value, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error($"must be an object mapping property names to schemas, got {JsonTypeNames.KindName(value.ValueKind)}");
            return null;
        }

        var properties = new List<KeyValuePair<string, SchemaNode>>();
        foreach (var property in value.EnumerateObject())
        {
            Enter(property.Name);
            if (properties.Exists(existing => existing.Key == property.Name))
            {
                Error($"property '{property.Name}' is declared more than once; keep one");
            }
            else
            {
                properties.Add(new(property.Name, CompileSubschema(property.Value, depth + 1)));
            }
            Exit();
        }
        return properties;
    }

    private string[]? ReadRequired(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error($"must be an array of property names, got {JsonTypeNames.KindName(value.ValueKind)}");
            return null;
        }

        var names = new List<string>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Enter(index++);
            if (item.ValueKind != JsonValueKind.String)
            {
                Error($"must be a property name (a string), got {JsonTypeNames.KindName(item.ValueKind)}");
            }
            else if (names.Contains(item.GetString()!))
            {
                Error($"'{item.GetString()}' is listed more than once");
            }
            else
            {
                names.Add(item.GetString()!);
            }
            Exit();
        }
        return [.. names];
    }

    private void ReadAdditionalProperties(JsonElement value, SchemaNodeBuilder builder, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
            case JsonValueKind.False:
                builder.AdditionalPropertiesAllowed = value.GetBoolean();
                break;
            case JsonValueKind.Object:
                builder.AdditionalProperties = CompileObject(value, depth + 1, out _);
                break;
            default:
                Error($"must be true, false or a schema object, got {JsonTypeNames.KindName(value.ValueKind)}");
                break;
        }
    }

    private SchemaNode? ReadItems(JsonElement value, int depth)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            Error("the array (tuple) form of items is not supported; give a single schema that every item must match");
            return null;
        }
        return CompileSubschema(value, depth + 1);
    }

    private JsonElement[]? ReadEnum(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error($"must be an array of the allowed values, got {JsonTypeNames.KindName(value.ValueKind)}");
            return null;
        }
        if (value.GetArrayLength() == 0)
        {
            Error("must list at least one allowed value; an empty enum rejects every call");
            return null;
        }
        return [.. value.EnumerateArray().Select(item => item.Clone())];
    }

    private int? ReadCount(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && SchemaNumber.Read(value).TryGetCount(out int count))
        {
            return count;
        }
        string actual = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonTypeNames.KindName(value.ValueKind);
        Error($"must be a non-negative integer, got {actual}");
        return null;
    }

    private JsonElement? ReadBound(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number) return value.Clone();
        string hint = value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? " (the draft-4 boolean form is not supported; put the bound itself here and remove it from minimum/maximum)"
            : "";
        Error($"must be a number, got {JsonTypeNames.KindName(value.ValueKind)}{hint}");
        return null;
    }

    private JsonElement? ReadMultipleOf(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && SchemaNumber.Read(value).IsPositive) return value.Clone();
        string actual = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonTypeNames.KindName(value.ValueKind);
        Error($"must be a number greater than 0, got {actual}");
        return null;
    }

    private bool ReadFlag(JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Error($"must be true or false, got {JsonTypeNames.KindName(value.ValueKind)}");
        return false;
    }

    private Regex? ReadPattern(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"must be a regular expression string, got {JsonTypeNames.KindName(value.ValueKind)}");
            return null;
        }

        string pattern = value.GetString()!;
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine; the match timeout bounds its cost.
            return CompileBacktracking(pattern);
        }
        catch (ArgumentException ex)
        {
            Error($"'{pattern}' is not a valid regular expression: {ex.Message}");
            return null;
        }
    }

    private Regex? CompileBacktracking(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException ex)
        {
            Error($"'{pattern}' is not a valid regular expression: {ex.Message}");
            return null;
        }
    }

    private SchemaNode[]? ReadAlternatives(JsonElement value, int depth)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Error($"must be a non-empty array of schemas, got {Describe(value)}");
            return null;
        }

        var alternatives = new List<SchemaNode>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Enter(index++);
            alternatives.Add(CompileSubschema(item, depth + 1));
            Exit();
        }
        return [.. alternatives];
    }

    /// <summary>
    /// A local reference (<c>#</c> or a JSON pointer <c>#/...</c> into this schema, as <c>#/$defs/address</c>), compiled
    /// once per target and enforced where it is used. Recursive, remote and anchor references cannot be enforced and
    /// are errors, like any keyword the checker does not implement.
    /// </summary>
    private SchemaNode? ReadReference(JsonElement value, int depth)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"must be a reference (a string such as \"#/$defs/name\"), got {JsonTypeNames.KindName(value.ValueKind)}");
            return null;
        }

        var reference = value.GetString()!;
        switch (_references.Resolve(reference, out var target, out var segments, out var key))
        {
            case SchemaReferences.Resolution.Found:
                break;
            case SchemaReferences.Resolution.NotLocal:
                Error($"'$ref' '{reference}' is not supported by the gateway's schema checker: only references into this schema (\"#/$defs/name\") are; inline the referenced schema");
                return null;
            case SchemaReferences.Resolution.NestedId:
                Error($"'$ref' '{reference}' cannot be resolved: a subschema declares its own '$id', which changes what references mean; inline the referenced schema or remove the nested '$id'");
                return null;
            default:
                Error($"'$ref' '{reference}' points to nothing in this schema; point it at a subschema such as \"#/$defs/name\"");
                return null;
        }

        if (_references.TryGetCompiled(key, out var compiled))
        {
            return compiled;
        }

        if (!_references.Enter(key))
        {
            Error($"'$ref' '{reference}' refers to itself (a recursive schema), which the gateway's schema checker cannot enforce; give the nesting a fixed depth and inline it");
            return SchemaNode.RejectAll;
        }

        // Errors inside the target are reported at the target's own pointer, once, however often it is referenced.
        var usedAt = _pointer;
        _pointer = [usedAt[0], .. segments.Select(s => s.Replace("~", "~0").Replace("/", "~1"))];
        try
        {
            var node = CompileSubschema(target, depth + 1);
            _references.Compiled(key, node);
            return node;
        }
        finally
        {
            _pointer = usedAt;
            _references.Exit(key);
        }
    }

    private StringFormat? ReadFormat(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"must be a format name (a string), got {JsonTypeNames.KindName(value.ValueKind)}");
            return null;
        }
        if (!_options.AssertFormats) return null;
        if (StringFormats.TryParse(value.GetString()!, out var format)) return format;
        Error($"format '{value.GetString()}' cannot be enforced (supported: {StringFormats.SupportedList}); remove it, or turn AssertFormats off to treat formats as annotations");
        return null;
    }

    private void ReadUnknown(string name)
    {
        if (SchemaKeywords.IsAnnotation(name)) return;
        if (SchemaKeywords.TryGetUnsupportedAdvice(name, out string advice))
        {
            Error($"'{name}' is not supported by the gateway's schema checker; {advice}");
            return;
        }
        string? suggestion = SchemaKeywords.SuggestFor(name);
        Error(suggestion is null
            ? $"unknown keyword '{name}'; remove it, or prefix vendor extensions with 'x-'"
            : $"unknown keyword '{name}'; did you mean '{suggestion}'?");
    }

    private void CheckConsistency(SchemaNodeBuilder builder)
    {
        CheckOrder("minLength", builder.MinLength, "maxLength", builder.MaxLength);
        CheckOrder("minItems", builder.MinItems, "maxItems", builder.MaxItems);
        CheckOrder("minProperties", builder.MinProperties, "maxProperties", builder.MaxProperties);
        CheckBounds("minimum", builder.Minimum, "maximum", builder.Maximum, allowEqual: true);
        CheckBounds("exclusiveMinimum", builder.ExclusiveMinimum, "exclusiveMaximum", builder.ExclusiveMaximum, allowEqual: false);
        CheckRequiredAreAllowed(builder);
    }

    private void CheckOrder(string minName, int? min, string maxName, int? max)
    {
        if (min is null || max is null || min <= max) return;
        Enter(minName);
        Error($"{minName} ({min}) is greater than {maxName} ({max}), so no value can pass");
        Exit();
    }

    private void CheckBounds(string minName, JsonElement? min, string maxName, JsonElement? max, bool allowEqual)
    {
        if (min is not { } low || max is not { } high) return;
        int comparison = SchemaNumber.Read(low).CompareTo(SchemaNumber.Read(high));
        if (comparison < 0 || (allowEqual && comparison == 0)) return;
        Enter(minName);
        Error($"{minName} ({low.GetRawText()}) leaves no room below {maxName} ({high.GetRawText()}), so no value can pass");
        Exit();
    }

    private void CheckRequiredAreAllowed(SchemaNodeBuilder builder)
    {
        if (builder.Required is null || builder.AdditionalPropertiesAllowed != false) return;
        for (int i = 0; i < builder.Required.Length; i++)
        {
            string name = builder.Required[i];
            if (builder.Properties?.Exists(property => property.Key == name) == true) continue;
            Enter("required");
            Enter(i);
            Error($"'{name}' is required but not declared in properties, and additionalProperties is false, so no call can pass; declare it");
            Exit();
            Exit();
        }
    }

    private void CheckDefault(SchemaNode node, JsonElement value)
    {
        var context = ValidationContext.Rent(ValidationSubject.DefaultValue);
        node.Validate(value, context);
        var result = ValidationContext.Return(context);
        if (result.IsValid) return;
        Enter("default");
        Error($"{result.Errors[0].Message}; fix the default or the schema");
        Exit();
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? "an empty array" : JsonTypeNames.KindName(value.ValueKind);

    private void Enter(string segment) => _pointer.Add(segment.Replace("~", "~0").Replace("/", "~1"));

    private void Enter(int index) => _pointer.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void Exit() => _pointer.RemoveAt(_pointer.Count - 1);

    private void Error(string message)
    {
        if (_errors.Count < MaxErrors)
        {
            _errors.Add($"{string.Join('/', _pointer)}: {message}");
        }
    }
}
