using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>allOf</c>: every alternative must match; all their errors are reported.</summary>
internal sealed class AllOfCheck(SchemaNode[] parts) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        bool valid = true;
        foreach (var part in parts)
        {
            if (part.Validate(value, context)) continue;
            valid = false;
            if (context.ShouldStop) break;
        }
        return valid;
    }
}
