namespace Gateway.Transforms.Validation.Paths;

internal sealed class WindowsPathSyntax : PathSyntax
{
    public static readonly WindowsPathSyntax Instance = new();

    private WindowsPathSyntax()
    {
    }

    public override PathRules Rules => PathRules.Windows;

    public override char Separator => '\\';

    public override bool IsSeparator(char c) => c is '\\' or '/';

    public override PathRejection ParseAnchor(ReadOnlySpan<char> path, out PathAnchor anchor)
    {
        anchor = default;
        if (path.Length >= 2 && IsSeparator(path[0]) && IsSeparator(path[1]))
        {
            // \\?\ and \\.\ bypass Win32 normalization (dots, trailing spaces, device names) entirely.
            bool device = path.Length >= 3 && path[2] is ('?' or '.') && (path.Length == 3 || IsSeparator(path[3]));
            return device ? PathRejection.DevicePath : PathRejection.UncPath;
        }

        if (path.Length >= 3 && IsSeparator(path[0]) && path[1] == '?' && path[2] == '?'
            && (path.Length == 3 || IsSeparator(path[3])))
        {
            return PathRejection.DevicePath; // \??\ is the NT object-manager prefix.
        }

        if (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]))
        {
            if (path.Length == 2 || !IsSeparator(path[2]))
            {
                return PathRejection.DriveChange; // "C:x" is relative to the backend's current directory on C:.
            }

            anchor = new PathAnchor(true, char.ToUpperInvariant(path[0]), 3);
            return PathRejection.None;
        }

        if (path.Length >= 1 && IsSeparator(path[0]))
        {
            return PathRejection.DriveChange; // "\x" lands on whatever drive the backend's process is on.
        }

        anchor = new PathAnchor(false, '\0', 0);
        return PathRejection.None;
    }

    public override PathRejection CheckSegment(ReadOnlySpan<char> segment)
    {
        if (segment is "." or "..")
        {
            return PathRejection.None;
        }

        if (WindowsNames.IsReservedDeviceName(segment))
        {
            return PathRejection.ReservedDeviceName;
        }

        if (segment.Contains(':'))
        {
            return PathRejection.AlternateDataStream;
        }

        if (segment.IndexOfAny(WindowsNames.ForbiddenNameCharacters) >= 0)
        {
            return PathRejection.InvalidCharacter;
        }

        return segment[^1] is '.' or ' ' ? PathRejection.TrailingDotOrSpace : PathRejection.None;
    }

    public override int WritePrefix(char drive, Span<char> destination)
    {
        destination[0] = drive;
        destination[1] = ':';
        destination[2] = '\\';
        return 3;
    }
}
