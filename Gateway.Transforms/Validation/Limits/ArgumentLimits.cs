namespace Gateway.Transforms.Validation.Limits;

/// <summary>Size limits for a tool call's JSON arguments, so one call cannot exhaust the gateway or a backend.</summary>
public sealed class ArgumentLimits
{
    /// <summary>Deepest nesting of objects and arrays; the arguments object itself is level 1.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Longest string value, property name or number literal, in UTF-16 characters after unescaping.</summary>
    public int MaxStringLength { get; init; } = 65536;

    /// <summary>Most top-level members (properties of the arguments object, or elements if it is an array).</summary>
    public int MaxArguments { get; init; } = 64;

    /// <summary>Largest UTF-8 JSON text of the arguments, in bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1_048_576;
}
