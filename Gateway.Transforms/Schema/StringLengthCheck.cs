using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>minLength</c>/<c>maxLength</c>, counted in Unicode code points as JSON Schema specifies.</summary>
internal sealed class StringLengthCheck(int? minLength, int? maxLength) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        int length = JsonStrings.CountCodePoints(value);
        if (length < minLength)
        {
            return context.Fail($"must be at least {minLength} {Characters(minLength.Value)} long, got {length}");
        }
        if (length > maxLength)
        {
            return context.Fail($"must be at most {maxLength} {Characters(maxLength.Value)} long, got {length}");
        }
        return true;
    }

    private static string Characters(int count) => count == 1 ? "character" : "characters";
}
