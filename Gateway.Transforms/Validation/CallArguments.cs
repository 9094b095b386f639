using System.Text.Json;

namespace Gateway.Transforms.Validation;

/// <summary>
/// The arguments a validating transform checks: a tool call's own arguments object, or what a REST passthrough request
/// carries in its JSON body and its query string.
/// </summary>
public abstract class CallArguments
{
    /// <summary>Finds one argument by name. Never throws.</summary>
    public abstract ArgumentLookup Find(string name);

    /// <summary>A tool call's arguments: the object the schema step already checked; JSON null counts as absent.</summary>
    public static CallArguments ForToolCall(JsonElement arguments) => new ToolCallArguments(arguments);

    private sealed class ToolCallArguments(JsonElement arguments) : CallArguments
    {
        public override ArgumentLookup Find(string name) =>
            arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? ArgumentLookup.Found(value)
                : ArgumentLookup.Absent;
    }
}

/// <summary>Reads a validated argument as a string, refusing text that is not well-formed Unicode.</summary>
public static class ArgumentText
{
    /// <returns>False when the JSON string holds an unpaired surrogate escape or invalid UTF-8.</returns>
    public static bool TryGet(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }
}
