using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>multipleOf</c>: value / divisor must be a whole number.</summary>
internal sealed class MultipleOfCheck(JsonElement divisor) : SchemaCheck
{
    private readonly SchemaNumber _divisor = SchemaNumber.Read(divisor);
    private readonly string _divisorText = divisor.GetRawText();

    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Number) return true;
        return SchemaNumber.Read(value).IsMultipleOf(_divisor)
            || context.Fail($"must be a multiple of {_divisorText}, got {value.GetRawText()}");
    }
}
