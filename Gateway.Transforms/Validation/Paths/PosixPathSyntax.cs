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
