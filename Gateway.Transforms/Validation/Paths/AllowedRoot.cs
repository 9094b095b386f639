namespace Gateway.Transforms.Validation.Paths;

/// <summary>A configured root in canonical form, plus its symlink-free location when it exists on this host.</summary>
internal sealed class AllowedRoot
{
    public AllowedRoot(string canonical, char drive, int segmentCount, char separator)
    {
        Canonical = canonical;
        Drive = drive;
        SegmentCount = segmentCount;
        CanonicalWithSeparator = canonical[^1] == separator ? canonical : canonical + separator;
    }

    /// <summary>"/srv/repos", "/", "C:\repos" or "C:\".</summary>
    public string Canonical { get; }

    /// <summary>The root plus a trailing separator: the prefix every path strictly inside it starts with.</summary>
    public string CanonicalWithSeparator { get; }

    /// <summary>Upper-case drive letter under Windows rules; '\0' under Posix rules.</summary>
    public char Drive { get; }

    public int SegmentCount { get; }

    /// <summary>The root with every symbolic link resolved, when it is a real directory here; otherwise null.</summary>
    public string? HostResolved { get; private set; }

    private string? HostResolvedWithSeparator { get; set; }

    public void SetHostResolved(string resolved)
    {
        HostResolved = resolved;
        HostResolvedWithSeparator = resolved.EndsWith('/') ? resolved : resolved + "/";
    }

    public bool Contains(ReadOnlySpan<char> canonicalPath, StringComparison comparison) =>
        canonicalPath.Equals(Canonical, comparison) || canonicalPath.StartsWith(CanonicalWithSeparator, comparison);

    /// <summary>Whether a fully resolved host path lies in this root's resolved location (or its lexical one).</summary>
    public bool ContainsResolved(string resolvedPath, StringComparison comparison) =>
        HostResolved is null
            ? Contains(resolvedPath, comparison)
            : resolvedPath.Equals(HostResolved, comparison) || resolvedPath.StartsWith(HostResolvedWithSeparator!, comparison);
}
