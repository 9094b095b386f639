namespace Gateway.Transforms.Validation.Paths;

internal sealed class PosixPathSyntax : PathSyntax
{
    public static readonly PosixPathSyntax Instance = new();

    private PosixPathSyntax()
    {
    }

    public override PathRules Rules => PathRules.Posix;

    public override char Separator => '/';

    public override bool IsSeparator(char c) => c == '/';

    public override PathRejection ParseAnchor(ReadOnlySpan<char> path, out PathAnchor anchor)
    {
        // Legal POSIX names, but a backend that is really Windows (or hands the value to one) reads them as UNC or
        // device paths (\\server\share, \\?\C:\, \\.\pipe, \??\), so they are refused under Posix rules too.
        if (path.StartsWith(@"\\", StringComparison.Ordinal))
        {
            anchor = default;
            return path.Length >= 3 && path[2] is '?' or '.' ? PathRejection.DevicePath : PathRejection.UncPath;
        }

        if (path.StartsWith(@"\??\", StringComparison.Ordinal))
        {
            anchor = default;
            return PathRejection.DevicePath;
        }

        bool absolute = path.Length > 0 && path[0] == '/';
        anchor = new PathAnchor(absolute, '\0', absolute ? 1 : 0);
        return PathRejection.None;
    }

    public override PathRejection CheckSegment(ReadOnlySpan<char> segment) => PathRejection.None;

    public override int WritePrefix(char drive, Span<char> destination)
    {
        destination[0] = '/';
        return 1;
    }
}
