using System.Text.Json;

namespace Gateway.Transforms.Validation;

/// <summary>Whether a validated argument was found once, not at all, or in a form that cannot be validated.</summary>
public enum ArgumentPresence
{
    Absent,
    Present,

    /// <summary>Given more than once, in two places, or missing where it is required; <see cref="ArgumentLookup.Problem"/> says which.</summary>
    Ambiguous,
}

/// <summary>The outcome of looking one argument up in a call's arguments.</summary>
public readonly record struct ArgumentLookup(ArgumentPresence Presence, JsonElement Value, string? Problem)
{
    public static ArgumentLookup Absent => default;

    public static ArgumentLookup Found(JsonElement value) => new(ArgumentPresence.Present, value, null);

    public static ArgumentLookup Ambiguous(string problem) => new(ArgumentPresence.Ambiguous, default, problem);
}
