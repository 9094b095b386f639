namespace DemoBackends.CodeOrchestrator;

internal enum PathCheck
{
    Inside,
    Outside,
    Malformed,
}

/// <summary>
/// The only directory tree the orchestrator may read. Every requested path is canonicalised and must equal the root
/// or start with root + separator (a bare prefix would let "/repo-evil" pass for "/repo"); links must not point out.
/// </summary>
internal sealed class CodeRoot
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public CodeRoot(string root) => FullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string FullPath { get; }

    public PathCheck Resolve(string requested, out string fullPath)
    {
        fullPath = string.Empty;
        try
        {
            var candidate = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(FullPath, requested));
            fullPath = Path.TrimEndingDirectorySeparator(candidate);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return PathCheck.Malformed;
        }

        if (!IsUnderRoot(fullPath))
        {
            return PathCheck.Outside;
        }

        var linkTarget = FinalLinkTarget(fullPath);
        return linkTarget is null || IsUnderRoot(linkTarget) ? PathCheck.Inside : PathCheck.Outside;
    }

    /// <summary>Root-relative path with '/' separators; the root itself is ".".</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(FullPath, fullPath).Replace('\\', '/');

    private bool IsUnderRoot(string fullPath) =>
        string.Equals(fullPath, FullPath, PathComparison)
        || (fullPath.StartsWith(FullPath, PathComparison)
            && fullPath.Length > FullPath.Length
            && fullPath[FullPath.Length] == Path.DirectorySeparatorChar);

    private static string? FinalLinkTarget(string fullPath)
    {
        FileSystemInfo info = Directory.Exists(fullPath) ? new DirectoryInfo(fullPath) : new FileInfo(fullPath);
        if (!info.Exists || info.LinkTarget is null)
        {
            return null;
        }

        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? null : Path.GetFullPath(target.FullName);
    }
}
