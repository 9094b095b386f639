namespace Gateway.Transforms.Validation.Json;

/// <summary>What made a caller's JSON unacceptable.</summary>
public enum StrictJsonErrorKind
{
    /// <summary>No JSON value at all (empty or whitespace-only body).</summary>
    Empty,

    /// <summary>Not JSON, or nested deeper than <see cref="StrictJson.MaxDepth"/>.</summary>
    Syntax,

    /// <summary>A key appears twice in one object.</summary>
    DuplicateKey,

    /// <summary>A string that is not valid Unicode: an unpaired UTF-16 surrogate escape or invalid UTF-8 bytes.</summary>
    InvalidString,

    /// <summary>A number outside the range of a double (e.g. <c>1e400</c>).</summary>
    NumberOutOfRange,
}

/// <summary>
/// Why a JSON text was refused and where: <see cref="Path"/> is a JSONPath to the offending object or value
/// (<c>$.params.arguments</c>), <see cref="Key"/> the duplicated key for <see cref="StrictJsonErrorKind.DuplicateKey"/>.
/// </summary>
public sealed record StrictJsonError(StrictJsonErrorKind Kind, string Path, string? Key, string Message)
{
    /// <summary>True when the problem lies at or below <paramref name="path"/> (e.g. <c>$.params</c>).</summary>
    public bool IsWithin(string path) =>
        Path.StartsWith(path, StringComparison.Ordinal)
        && (Path.Length == path.Length || Path[path.Length] is '.' or '[');
}
