using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>format</c>, enforced only when <see cref="ToolSchemaOptions.AssertFormats"/> is on.</summary>
internal sealed class FormatCheck(StringFormat format) : SchemaCheck
{
    private readonly string _description = StringFormats.Describe(format);

    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        return JsonStrings.Test(value, format, static (chars, expected) => StringFormats.IsValid(chars, expected))
            || context.Fail($"must be {_description}");
    }
}
