namespace Gateway.Transforms.Validation.Paths;

/// <summary>Turns a configured root into canonical form, or explains why it cannot be one.</summary>
internal static class RootNormalizer
{
    public static AllowedRoot? TryNormalize(string? root, PathSyntax syntax, out string? error)
    {
        error = null;
        string rules = syntax.Rules.ToString();
        string example = syntax.Rules == PathRules.Windows ? @"C:\repos" : "/srv/repos";
        if (string.IsNullOrWhiteSpace(root))
        {
            error = $"a root is empty; every root must be an absolute directory like {example}";
            return null;
        }

        string quoted = PathDisplay.Quote(root);
        int bad = PathCharacters.IndexOfDisallowed(root, out _);
        if (bad >= 0)
        {
            error = $"root {quoted} contains character {PathDisplay.CodePoint(root[bad])}; remove it";
            return null;
        }

        if (PercentDecoding.IndexOfEscape(root) >= 0)
        {
            error = $"root {quoted} contains a percent-escape, but roots are matched after decoding; write it decoded";
            return null;
        }

        PathRejection anchorProblem = syntax.ParseAnchor(root, out PathAnchor anchor);
        if (anchorProblem is PathRejection.UncPath or PathRejection.DevicePath)
        {
            error = $"root {quoted} is a UNC or device path; under {rules} rules only drive roots like {example} are supported";
            return null;
        }

        if (anchorProblem != PathRejection.None || !anchor.IsAbsolute)
        {
            error = $"root {quoted} is not absolute under {rules} rules; write it as a full path like {example}";
            return null;
        }

        Span<char> prefix = stackalloc char[syntax.PrefixLength];
        var canonical = new System.Text.StringBuilder(root.Length + 3);
        canonical.Append(prefix[..syntax.WritePrefix(anchor.Drive, prefix)]);
        int segmentCount = 0;
        foreach (ReadOnlySpan<char> segment in new PathSegments(root.AsSpan(anchor.BodyStart), syntax))
        {
            if (segment is "." or "..")
            {
                error = $"root {quoted} contains a '.' or '..' segment; write the resolved directory instead";
                return null;
            }

            PathRejection segmentProblem = syntax.CheckSegment(segment);
            if (segmentProblem != PathRejection.None)
            {
                error = $"root {quoted} has segment '{segment}' that is not a valid directory name under {rules} rules ({segmentProblem})";
                return null;
            }

            if (segmentCount++ > 0)
            {
                canonical.Append(syntax.Separator);
            }

            canonical.Append(segment);
        }

        return new AllowedRoot(canonical.ToString(), anchor.Drive, segmentCount, syntax.Separator);
    }
}
