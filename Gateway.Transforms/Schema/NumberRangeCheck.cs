using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>One numeric bound: <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c> or <c>exclusiveMaximum</c>.</summary>
internal sealed class NumberRangeCheck : SchemaCheck
{
    private readonly SchemaNumber _bound;
    private readonly string _boundText;
    private readonly bool _isLower;
    private readonly bool _isExclusive;
    private readonly string _requirement;

    public NumberRangeCheck(JsonElement bound, bool isLower, bool isExclusive)
    {
        _bound = SchemaNumber.Read(bound);
        _boundText = bound.GetRawText();
        _isLower = isLower;
        _isExclusive = isExclusive;
        _requirement = (isLower, isExclusive) switch
        {
            (true, false) => "at least",
            (true, true) => "greater than",
            (false, false) => "at most",
            (false, true) => "less than",
        };
    }

    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Number) return true;
        int comparison = SchemaNumber.Read(value).CompareTo(_bound);
        bool inRange = (_isLower, _isExclusive) switch
        {
            (true, false) => comparison >= 0,
            (true, true) => comparison > 0,
            (false, false) => comparison <= 0,
            (false, true) => comparison < 0,
        };
        return inRange || context.Fail($"must be {_requirement} {_boundText}, got {value.GetRawText()}");
    }
}
