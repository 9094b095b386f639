namespace Gateway.Transforms.Validation.Paths;

/// <summary>The parts of path handling that differ between POSIX and Windows rules.</summary>
internal abstract class PathSyntax
{
    public static PathSyntax For(PathRules rules) =>
        rules == PathRules.Windows ? WindowsPathSyntax.Instance : PosixPathSyntax.Instance;

    public abstract PathRules Rules { get; }

    /// <summary>The separator written into canonical paths.</summary>
    public abstract char Separator { get; }

    public abstract bool IsSeparator(char c);

    /// <summary>Reads the anchor, refusing forms the rules make dangerous (UNC, devices, drive-relative).</summary>
    public abstract PathRejection ParseAnchor(ReadOnlySpan<char> path, out PathAnchor anchor);

    /// <summary>Checks one name (never empty); "." and ".." are always acceptable here.</summary>
    public abstract PathRejection CheckSegment(ReadOnlySpan<char> segment);

    /// <summary>Writes the canonical prefix of an absolute path ("/" or "C:\") and returns its length.</summary>
    public abstract int WritePrefix(char drive, Span<char> destination);

    public int PrefixLength => Rules == PathRules.Windows ? 3 : 1;
}
