using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>A compiled (sub)schema: an optional type test followed by its keyword checks.</summary>
internal sealed class SchemaNode
{
    /// <summary>The <c>true</c> schema and any schema without constraints.</summary>
    public static readonly SchemaNode AcceptAll = new(JsonTypes.None, [], summary: "anything");

    /// <summary>The <c>false</c> schema.</summary>
    public static readonly SchemaNode RejectAll = new(JsonTypes.None, [new NeverValidCheck()], summary: "nothing");

    private readonly JsonTypes _types;
    private readonly string _typeDescription;
    private readonly SchemaCheck[] _checks;

    public SchemaNode(JsonTypes types, SchemaCheck[] checks, string summary)
    {
        _types = types;
        _typeDescription = JsonTypeNames.Describe(types);
        _checks = checks;
        Summary = summary;
    }

    /// <summary>The declared types, or <see cref="JsonTypes.None"/> when any type is allowed.</summary>
    public JsonTypes Types => _types;

    /// <summary>A short description for messages about anyOf/oneOf alternatives, e.g. "a string".</summary>
    public string Summary { get; }

    public bool Validate(JsonElement value, ValidationContext context)
    {
        if (_types != JsonTypes.None && !JsonTypeNames.Accepts(_types, value))
        {
            // Keyword checks after a type mismatch would only add noise to the one error that matters.
            return context.Fail($"must be {_typeDescription}, got {JsonTypeNames.DescribeActual(value)}");
        }

        bool valid = true;
        foreach (var check in _checks)
        {
            if (check.Validate(value, context)) continue;
            valid = false;
            if (context.ShouldStop) break;
        }
        return valid;
    }

    private sealed class NeverValidCheck : SchemaCheck
    {
        public override bool Validate(JsonElement value, ValidationContext context) => context.Fail($"is not allowed");
    }
}
