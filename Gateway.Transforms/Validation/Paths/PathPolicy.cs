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
    /// Who confines symbolic links. <see cref="SymlinkHandling.ResolveOnGateway"/> (the default) needs every root to be
    /// a directory on this host and POSIX rules on a POSIX host; a policy that cannot meet that is a configuration
    /// error, never a silent skip.
    /// </summary>
    public SymlinkHandling Symlinks { get; init; } = SymlinkHandling.ResolveOnGateway;

    /// <summary>Relative input is resolved against the first root.</summary>
    public bool AllowRelative { get; init; } = true;

    /// <summary>Longest decoded or canonical path accepted, in UTF-16 characters.</summary>
    public int MaxPathLength { get; init; } = 4096;

    /// <summary>Longest single name accepted, in UTF-16 characters (255 is the common file-system limit).</summary>
    public int MaxSegmentLength { get; init; } = 255;
}
