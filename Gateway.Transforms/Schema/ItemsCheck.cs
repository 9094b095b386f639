using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>items</c> (single-schema form): every element must match.</summary>
internal sealed class ItemsCheck(SchemaNode items) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Array) return true;
        bool valid = true;
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            context.Push(index++);
            bool itemValid = items.Validate(item, context);
            context.Pop();
            if (itemValid) continue;
            valid = false;
            if (context.ShouldStop) break;
        }
        return valid;
    }
}
