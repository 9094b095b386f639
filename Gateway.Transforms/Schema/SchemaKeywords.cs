namespace Gateway.Transforms.Schema;

/// <summary>What the compiler knows about keywords it does not enforce: harmless annotations vs unsupported assertions.</summary>
internal static class SchemaKeywords
{
    /// <summary>Keywords that never change whether a value is valid.</summary>
    private static readonly HashSet<string> Annotations =
    [
        "title", "description", "default", "examples", "$schema", "$id", "$comment", "$anchor", "format",
        "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
        // Containers for $ref targets: compiled where a $ref points into them, inert otherwise.
        "$defs", "definitions",
    ];

    /// <summary>Keywords that would change validation but are not implemented, with advice on what to write instead.</summary>
    private static readonly Dictionary<string, string> Unsupported = new()
    {
        ["$dynamicRef"] = "inline the referenced schema",
        ["$recursiveRef"] = "inline the referenced schema",
        ["not"] = "express the constraint positively (enum, pattern, minimum...)",
        ["if"] = "use oneOf/anyOf of complete alternatives instead of if/then/else",
        ["then"] = "use oneOf/anyOf of complete alternatives instead of if/then/else",
        ["else"] = "use oneOf/anyOf of complete alternatives instead of if/then/else",
        ["patternProperties"] = "declare the properties by name, or use additionalProperties with a schema",
        ["propertyNames"] = "declare the properties by name and set additionalProperties to false",
        ["dependentRequired"] = "use oneOf/anyOf alternatives with their own required lists",
        ["dependentSchemas"] = "use oneOf/anyOf alternatives",
        ["dependencies"] = "use oneOf/anyOf alternatives with their own required lists",
        ["unevaluatedProperties"] = "use additionalProperties",
        ["unevaluatedItems"] = "use items",
        ["prefixItems"] = "use an object with named properties instead of a tuple",
        ["additionalItems"] = "use items with a single schema",
        ["contains"] = "use items with a schema every element must match",
        ["minContains"] = "use items and minItems",
        ["maxContains"] = "use items and maxItems",
        ["contentSchema"] = "validate the decoded content in the backend",
        ["$dynamicAnchor"] = "inline the referenced schema",
        ["$recursiveAnchor"] = "inline the referenced schema",
        ["$vocabulary"] = "remove it; the gateway supports a fixed set of keywords",
        ["nullable"] = "OpenAPI's nullable is not JSON Schema; use \"type\": [\"string\", \"null\"]",
    };

    /// <summary>Every keyword the compiler enforces.</summary>
    public static readonly string[] Enforced =
    [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
        "anyOf", "oneOf", "allOf",
    ];

    public static bool IsAnnotation(string keyword) =>
        Annotations.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal);

    public static bool TryGetUnsupportedAdvice(string keyword, out string advice) =>
        Unsupported.TryGetValue(keyword, out advice!);

    /// <summary>The closest known keyword to a misspelt one ("requried" → "required"), if any is close.</summary>
    public static string? SuggestFor(string keyword) =>
        Spelling.Closest(keyword, Enforced.Concat(Annotations).Concat(Unsupported.Keys));
}
