using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>anyOf</c>: at least one alternative must match.</summary>
internal sealed class AnyOfCheck(Alternatives alternatives) : SchemaCheck
{
    public override bool Validate(JsonElement value, ValidationContext context) =>
        alternatives.FindMatch(value, context, 0) >= 0 || alternatives.ReportNoMatch(value, context);
}
