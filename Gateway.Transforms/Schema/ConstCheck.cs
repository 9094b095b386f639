using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>const</c>: the value must equal exactly one fixed value.</summary>
internal sealed class ConstCheck(JsonElement expected, string display) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context) =>
        JsonValueComparer.Instance.Equals(value, expected) || context.Fail($"must be exactly {display}");
}
