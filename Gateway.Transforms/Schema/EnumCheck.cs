using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>enum</c>: the value must equal one of the listed values.</summary>
internal sealed class EnumCheck(JsonElement[] allowed, string allowedList) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        foreach (var candidate in allowed)
        {
            if (JsonValueComparer.Instance.Equals(value, candidate)) return true;
        }
        return context.Fail($"must be one of: {allowedList}");
    }
}
