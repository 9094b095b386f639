using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Transforms.Schema;

/// <summary>Collects the parsed keywords of one schema object, then turns them into a <see cref="SchemaNode"/>.</summary>
internal sealed class SchemaNodeBuilder
{
    public JsonTypes Types { get; set; }

    /// <summary>Names an alternative of anyOf/oneOf in errors when it has no type, enum or const to name it by.</summary>
    public string? Description { get; set; }
    public List<KeyValuePair<string, SchemaNode>>? Properties { get; set; }
    public string[]? Required { get; set; }
    public bool? AdditionalPropertiesAllowed { get; set; }
    public SchemaNode? AdditionalProperties { get; set; }
    public SchemaNode? Items { get; set; }
    public JsonElement[]? Enum { get; set; }
    public JsonElement? Const { get; set; }
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    public Regex? Pattern { get; set; }
    public StringFormat? Format { get; set; }
    public JsonElement? Minimum { get; set; }
    public JsonElement? Maximum { get; set; }
    public JsonElement? ExclusiveMinimum { get; set; }
    public JsonElement? ExclusiveMaximum { get; set; }
    public JsonElement? MultipleOf { get; set; }
    public int? MinItems { get; set; }
    public int? MaxItems { get; set; }
    public bool UniqueItems { get; set; }
    public int? MinProperties { get; set; }
    public int? MaxProperties { get; set; }
    public SchemaNode[]? AllOf { get; set; }
    public SchemaNode[]? AnyOf { get; set; }
    public SchemaNode[]? OneOf { get; set; }

    /// <summary>The compiled target of <c>$ref</c>, enforced beside the schema's other keywords.</summary>
    public SchemaNode? Reference { get; set; }

    public SchemaNode Build()
    {
        var checks = new List<SchemaCheck>();
        if (Enum is not null) checks.Add(new EnumCheck(Enum, string.Join(", ", Enum.Select(Display))));
        if (Const is { } constant) checks.Add(new ConstCheck(constant, Quoted(constant)));
        if (MinLength is not null || MaxLength is not null) checks.Add(new StringLengthCheck(MinLength, MaxLength));
        if (Pattern is not null) checks.Add(new PatternCheck(Pattern));
        if (Format is { } format) checks.Add(new FormatCheck(format));
        AddRange(checks, Minimum, isLower: true, isExclusive: false);
        AddRange(checks, ExclusiveMinimum, isLower: true, isExclusive: true);
        AddRange(checks, Maximum, isLower: false, isExclusive: false);
        AddRange(checks, ExclusiveMaximum, isLower: false, isExclusive: true);
        if (MultipleOf is { } divisor) checks.Add(new MultipleOfCheck(divisor));
        if (MinItems is not null || MaxItems is not null) checks.Add(new ItemCountCheck(MinItems, MaxItems));
        if (UniqueItems) checks.Add(new UniqueItemsCheck());
        if (Items is not null && Items != SchemaNode.AcceptAll) checks.Add(new ItemsCheck(Items));
        if (MinProperties is not null || MaxProperties is not null) checks.Add(new PropertyCountCheck(MinProperties, MaxProperties));
        if (Required is { Length: > 0 }) checks.Add(new RequiredCheck(Required));
        if (NeedsPropertiesCheck())
        {
            checks.Add(new PropertiesCheck(Properties ?? [], AdditionalProperties, AdditionalPropertiesAllowed == false));
        }
        if (AllOf is not null) checks.Add(new AllOfCheck(AllOf));
        if (AnyOf is not null) checks.Add(new AnyOfCheck(new Alternatives(AnyOf)));
        if (OneOf is not null) checks.Add(new OneOfCheck(new Alternatives(OneOf)));
        if (Reference is not null && Reference != SchemaNode.AcceptAll && (Types != JsonTypes.None || checks.Count > 0))
        {
            checks.Add(new AllOfCheck([Reference]));
        }

        return Types == JsonTypes.None && checks.Count == 0
            ? SchemaNode.AcceptAll
            : new SchemaNode(Types, [.. checks], Summarize());
    }

    private bool NeedsPropertiesCheck() =>
        Properties is { Count: > 0 } || AdditionalProperties is not null || AdditionalPropertiesAllowed == false;

    private static void AddRange(List<SchemaCheck> checks, JsonElement? bound, bool isLower, bool isExclusive)
    {
        if (bound is { } value) checks.Add(new NumberRangeCheck(value, isLower, isExclusive));
    }

    private string Summarize()
    {
        if (Types != JsonTypes.None) return JsonTypeNames.Describe(Types);
        if (Enum is not null) return "one of " + string.Join(", ", Enum.Select(Display));
        if (Const is { } constant) return Quoted(constant);
        if (Description is { Length: > 0 } description) return description;
        return "a value matching the schema";
    }

    /// <summary>Enum lists read best unquoted: "must be one of: fast, exact".</summary>
    private static string Display(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Quoted(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();
}
