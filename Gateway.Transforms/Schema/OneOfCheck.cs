using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>oneOf</c>: exactly one alternative must match.</summary>
internal sealed class OneOfCheck(Alternatives alternatives) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context)
    {
        int first = alternatives.FindMatch(value, context, 0);
        if (first < 0) return alternatives.ReportNoMatch(value, context);

        int second = alternatives.FindMatch(value, context, first + 1);
        return second < 0 || context.Fail(
            $"matches more than one allowed form (alternatives {first + 1} and {second + 1} of the oneOf); send a value that fits exactly one");
    }
}
