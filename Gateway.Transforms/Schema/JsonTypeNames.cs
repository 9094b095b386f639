using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>Parses, tests and describes <see cref="JsonTypes"/>.</summary>
internal static class JsonTypeNames
{
    public const string AllowedList = "string, number, integer, boolean, object, array, null";

    public static bool TryParse(string name, out JsonTypes type)
    {
        type = name switch
        {
            "string" => JsonTypes.String,
            "number" => JsonTypes.Number,
            "integer" => JsonTypes.Integer,
            "boolean" => JsonTypes.Boolean,
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "null" => JsonTypes.Null,
            _ => JsonTypes.None,
        };
        return type != JsonTypes.None;
    }

    public static bool Accepts(JsonTypes allowed, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => (allowed & JsonTypes.String) != 0,
        JsonValueKind.Number => (allowed & JsonTypes.Number) != 0
            || ((allowed & JsonTypes.Integer) != 0 && SchemaNumber.Read(value).IsInteger),
        JsonValueKind.True or JsonValueKind.False => (allowed & JsonTypes.Boolean) != 0,
        JsonValueKind.Object => (allowed & JsonTypes.Object) != 0,
        JsonValueKind.Array => (allowed & JsonTypes.Array) != 0,
        JsonValueKind.Null => (allowed & JsonTypes.Null) != 0,
        _ => false,
    };

    /// <summary>"an integer", "a string or null": reads after "must be".</summary>
    public static string Describe(JsonTypes types)
    {
        var names = new List<string>(7);
        if ((types & JsonTypes.String) != 0) names.Add("a string");
        if ((types & JsonTypes.Number) != 0) names.Add("a number");
        else if ((types & JsonTypes.Integer) != 0) names.Add("an integer");
        if ((types & JsonTypes.Boolean) != 0) names.Add("a boolean");
        if ((types & JsonTypes.Object) != 0) names.Add("an object");
        if ((types & JsonTypes.Array) != 0) names.Add("an array");
        if ((types & JsonTypes.Null) != 0) names.Add("null");
        return names.Count switch
        {
            0 => "nothing",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
        };
    }

    /// <summary>What the value actually is, for the "got ..." part of a message: "string", "number 2.5".</summary>
    public static string DescribeActual(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Undefined => "nothing",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
