using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>
/// <c>properties</c> together with <c>additionalProperties</c>: both decide, per present property, which schema
/// applies, so one pass over the object serves both.
/// </summary>
internal sealed class PropertiesCheck : SchemaCheck
{
    private readonly byte[][] _utf8Names;
    private readonly SchemaNode[] _schemas;
    private readonly SchemaNode? _additional;
    private readonly bool _additionalForbidden;
    private readonly string _allowedList;

    /// <param name="declared">Property name to schema, in declaration order.</param>
    /// <param name="additional">Schema for undeclared properties; null when they are allowed unchecked.</param>
    /// <param name="additionalForbidden"><c>additionalProperties: false</c>: undeclared properties are errors.</param>
    public PropertiesCheck(IReadOnlyList<KeyValuePair<string, SchemaNode>> declared, SchemaNode? additional, bool additionalForbidden)
    {
        _utf8Names = [.. declared.Select(pair => Encoding.UTF8.GetBytes(pair.Key))];
        _schemas = [.. declared.Select(pair => pair.Value)];
        _additional = additional;
        _additionalForbidden = additionalForbidden;
        _allowedList = declared.Count == 0 ? "none are allowed" : "allowed: " + string.Join(", ", declared.Select(pair => pair.Key));
    }

    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Object) return true;
        bool valid = true;
        foreach (var property in value.EnumerateObject())
        {
            if (!ValidateProperty(property, context))
            {
                valid = false;
                if (context.ShouldStop) break;
            }
        }
        return valid;
    }

    private bool ValidateProperty(JsonProperty property, ValidationContext context)
    {
        var schema = FindDeclared(property) ?? _additional;
        if (schema is null && !_additionalForbidden) return true;

        context.Push(property);
        bool valid = schema is null
            ? context.FailVerbatim($"unknown {context.MemberNoun} '{context.DisplayPath()}' ({_allowedList})")
            : schema.Validate(property.Value, context);
        context.Pop();
        return valid;
    }

    private SchemaNode? FindDeclared(JsonProperty property)
    {
        for (int i = 0; i < _utf8Names.Length; i++)
        {
            if (property.NameEquals(_utf8Names[i])) return _schemas[i];
        }
        return null;
    }
}
