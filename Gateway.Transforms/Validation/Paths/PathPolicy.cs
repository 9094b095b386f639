namespace Gateway.Transforms.Validation.Paths;

/// <summary>Where a tool's path arguments may point, written in the backend's path rules.</summary>
public sealed class PathPolicy
{
    /// <summary>Absolute directories (in <see cref="Rules"/>) that paths must stay inside.</summary>
    public required IReadOnlyList<string> AllowedRoots { get; init; }

    public PathRules Rules { get; init; } = PathRules.Posix;

    /// <summary>Null means the rule set's default: case-sensitive for Posix, case-insensitive for Windows.</summary>
    public bool? CaseSensitive { get; init; }

    /// <summary>The case rule actually applied.</summary>
    public bool IsCaseSensitive => CaseSensitive ?? Rules == PathRules.Posix;

    /// <summary>
    /// Follow symbolic links of the existing part of a path. Only applies to roots that are real directories on this
    /// host and whose rules match the host's OS (Posix rules on Linux/macOS).
    /// </summary>
    public bool ResolveSymlinks { get; init; } = true;

    /// <summary>Relative input is resolved against the first root.</summary>
    public bool AllowRelative { get; init; } = true;

    /// <summary>Longest decoded or canonical path accepted, in UTF-16 characters.</summary>
    public int MaxPathLength { get; init; } = 4096;

    /// <summary>Longest single name accepted, in UTF-16 characters (255 is the common file-system limit).</summary>
    public int MaxSegmentLength { get; init; } = 255;
}
