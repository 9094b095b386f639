using System.Text;

namespace Gateway.Transforms.Validation.Paths;

/// <summary>Turns a validated canonical path into a URL path whose segments cannot smuggle separators.</summary>
public static class PathSegmentEncoder
{
    /// <summary>
    /// Encodes each name with <see cref="Uri.EscapeDataString(string)"/> and joins them with '/', keeping a leading '/'
    /// for absolute POSIX paths ("/data/a b" -> "/data/a%20b"; @"C:\data\x" -> "C%3A/data/x" under Windows rules).
    /// </summary>
    /// <exception cref="ArgumentException">The path contains "." or "..": it was not canonicalized by the validator.</exception>
    public static string EncodePathSegments(string canonicalPath, PathRules rules = PathRules.Posix)
    {
        ArgumentNullException.ThrowIfNull(canonicalPath);
        PathSyntax syntax = PathSyntax.For(rules);
        var url = new StringBuilder(canonicalPath.Length + 16);
        if (rules == PathRules.Posix && canonicalPath.StartsWith('/'))
        {
            url.Append('/');
        }

        bool first = true;
        foreach (ReadOnlySpan<char> segment in new PathSegments(canonicalPath, syntax))
        {
            if (segment is "." or "..")
            {
                // URL resolvers collapse these, so they must never reach a URL; the caller skipped validation.
                throw new ArgumentException($"path {PathDisplay.Quote(canonicalPath)} contains '.' or '..'; validate it with ConfinedPathValidator first", nameof(canonicalPath));
            }

            if (!first)
            {
                url.Append('/');
            }

            url.Append(Uri.EscapeDataString(segment.ToString()));
            first = false;
        }

        return url.ToString();
    }
}
