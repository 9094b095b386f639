using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Transforms.Schema;

/// <summary><c>pattern</c>: the string must contain a match (JSON Schema patterns are not implicitly anchored).</summary>
internal sealed class PatternCheck(Regex regex) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        try
        {
            return JsonStrings.IsMatch(regex, value) || context.Fail($"must match the pattern {regex}");
        }
        catch (RegexMatchTimeoutException)
        {
            return context.Fail($"took too long to check against the pattern {regex}; send a shorter or simpler value");
        }
    }
}
