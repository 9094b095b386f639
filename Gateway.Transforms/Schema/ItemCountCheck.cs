using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>minItems</c>/<c>maxItems</c>.</summary>
internal sealed class ItemCountCheck(int? minItems, int? maxItems) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Array) return true;
        int count = value.GetArrayLength();
        if (count < minItems)
        {
            return context.Fail($"must have at least {minItems} {Items(minItems.Value)}, got {count}");
        }
        if (count > maxItems)
        {
            return context.Fail($"must have at most {maxItems} {Items(maxItems.Value)}, got {count}");
        }
        return true;
    }

    private static string Items(int count) => count == 1 ? "item" : "items";
}
