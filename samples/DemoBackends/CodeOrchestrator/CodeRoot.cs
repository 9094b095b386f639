namespace DemoBackends.CodeOrchestrator;

internal enum PathCheck
{
    Inside,
    Outside,
    Malformed,
}

/// <summary>
/// The only directory tree the orchestrator may read. Every requested path is resolved on the real file system, every
/// symbolic link on the way included (as the kernel would follow them when the file is opened), and the resolved path
/// must equal the resolved root or start with it plus a separator (a bare prefix would let "/repo-evil" pass for
/// "/repo"). The gateway's own check is lexical when the route says "Symlinks": "BackendConfines", so this is the
/// check that stops "docs/escape -> /etc".
/// </summary>
internal sealed class CodeRoot
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public CodeRoot(string root)
    {
        FullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        ResolvedPath = LinkResolver.Resolve(FullPath) is { } resolved ? Path.TrimEndingDirectorySeparator(resolved) : FullPath;
    }

    public string FullPath { get; }

    /// <summary>The root with every symbolic link resolved; containment is checked against this.</summary>
    public string ResolvedPath { get; }

    /// <param name="fullPath">The fully resolved path to read, when inside.</param>
    public PathCheck Resolve(string requested, out string fullPath)
    {
        fullPath = string.Empty;
        string candidate;
        try
        {
            candidate = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(FullPath, requested)));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return PathCheck.Malformed;
        }

        if (!IsUnder(candidate, FullPath) && !IsUnder(candidate, ResolvedPath))
        {
            return PathCheck.Outside;
        }

        var resolved = LinkResolver.Resolve(candidate);
        if (resolved is null || !IsUnder(Path.TrimEndingDirectorySeparator(resolved), ResolvedPath))
        {
            return PathCheck.Outside;
        }

        fullPath = Path.TrimEndingDirectorySeparator(resolved);
        return PathCheck.Inside;
    }

    /// <summary>Root-relative path with '/' separators; the root itself is ".".</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(ResolvedPath, fullPath).Replace('\\', '/');

    private static bool IsUnder(string fullPath, string root) =>
        string.Equals(fullPath, root, PathComparison)
        || (fullPath.StartsWith(root, PathComparison)
            && fullPath.Length > root.Length
            && (fullPath[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar)));
}
