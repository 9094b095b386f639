using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>minProperties</c>/<c>maxProperties</c>.</summary>
internal sealed class PropertyCountCheck(int? minProperties, int? maxProperties) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Object) return true;
        int count = value.GetPropertyCount();
        if (count < minProperties)
        {
            return context.Fail($"must have at least {minProperties} {Fields(minProperties.Value)}, got {count}");
        }
        if (count > maxProperties)
        {
            return context.Fail($"must have at most {maxProperties} {Fields(maxProperties.Value)}, got {count}");
        }
        return true;
    }

    private static string Fields(int count) => count == 1 ? "field" : "fields";
}
