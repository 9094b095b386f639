namespace Gateway.Transforms.Validation.Paths;

/// <summary>Rejection messages that say what was wrong and what to pass instead. Paths are quoted safely.</summary>
internal sealed class PathRejectionMessages(string rootList, PathRules rules)
{
    private string Inside => $"pass a path inside one of: {rootList}";

    public PathValidationResult Empty() =>
        Reject(PathRejection.Empty, $"path is empty; {Inside}");

    public PathValidationResult TooLong(string raw, int length, int limit, string what) =>
        Reject(PathRejection.TooLong, $"path {PathDisplay.Quote(raw)} has a {what} of {length} characters, over the limit of {limit}; pass a shorter path");

    public PathValidationResult InvalidPercentEncoding(string raw, int index) =>
        Reject(PathRejection.InvalidPercentEncoding, index >= 0
            ? $"path {PathDisplay.Quote(raw)} has a malformed percent-escape at position {index}; write '%' as %25 and escapes as %XX hex"
            : $"path {PathDisplay.Quote(raw)} has percent-escapes that are not valid UTF-8; encode names as UTF-8 bytes");

    public PathValidationResult StillEncoded(string raw) =>
        Reject(PathRejection.StillEncoded, $"path {PathDisplay.Quote(raw)} is still percent-encoded after decoding once (double encoding); pass the path decoded, or encoded exactly once");

    public PathValidationResult Character(PathRejection reason, string raw, string decoded, int index)
    {
        char c = decoded[index];
        string where = ReferenceEquals(raw, decoded) ? $"position {index}" : $"position {index} of the decoded path";
        return Reject(reason, $"path {PathDisplay.Quote(raw)} contains {PathDisplay.CodePoint(c)} at {where}, {PathCharacters.Explain(c)}; remove it or use plain characters");
    }

    public PathValidationResult Anchor(PathRejection reason, string raw) => reason switch
    {
        PathRejection.UncPath => Reject(reason, $"path {PathDisplay.Quote(raw)} is a UNC network path; {Inside}"),
        PathRejection.DevicePath => Reject(reason, $@"path {PathDisplay.Quote(raw)} uses the Windows device or verbatim namespace (\\?\, \\.\ or \??\); {Inside}"),
        _ => Reject(reason, $"path {PathDisplay.Quote(raw)} has no fixed drive ('\\x' or 'C:x' depend on the backend's current drive or directory); write a full path like C:\\dir\\file; {Inside}"),
    };

    public PathValidationResult UriScheme(string raw, string scheme) =>
        Reject(PathRejection.UriScheme, $"path {PathDisplay.Quote(raw)} starts with '{scheme}:', which reads as a URI scheme"
            + (scheme.Length == 1 ? " or a Windows drive" : string.Empty) + $", not a file path; {Inside}"
            + (rules == PathRules.Posix ? " (a file whose first name really contains ':' is written with a leading './', e.g. ./a:b)" : string.Empty));

    public PathValidationResult OtherDrive(string raw, char drive) =>
        Reject(PathRejection.DriveChange, $"path {PathDisplay.Quote(raw)} is on drive {drive}: where no allowed root is; {Inside}");

    public PathValidationResult RelativeNotAllowed(string raw) =>
        Reject(PathRejection.RelativeNotAllowed, $"path {PathDisplay.Quote(raw)} is relative, but this tool needs an absolute path; {Inside}");

    public PathValidationResult Segment(PathRejection reason, string raw, ReadOnlySpan<char> segment)
    {
        string name = PathDisplay.Quote(segment.ToString());
        string problem = reason switch
        {
            PathRejection.ReservedDeviceName => $"has segment {name}, which Windows opens as a device (CON, PRN, AUX, NUL, COMn, LPTn), even with an extension; rename it",
            PathRejection.AlternateDataStream => $"has segment {name} with ':', which selects an NTFS alternate data stream; pass the plain file name",
            PathRejection.TrailingDotOrSpace => $"has segment {name} ending in a dot or space, which Windows silently strips; remove the trailing dot or space",
            _ => $"has segment {name} with a character Windows forbids in names (< > \" | ? *); remove it",
        };
        return Reject(reason, $"path {PathDisplay.Quote(raw)} {problem}");
    }

    public PathValidationResult EscapesRoot(string raw, AllowedRoot? root) =>
        Reject(PathRejection.EscapesRoot, root is null
            ? $"path {PathDisplay.Quote(raw)} uses '..' to climb above the top of the file system; {Inside}"
            : $"path {PathDisplay.Quote(raw)} escapes the allowed root {PathDisplay.Quote(root.Canonical)}; {Inside}");

    public PathValidationResult OutsideRoots(string raw) =>
        Reject(PathRejection.OutsideRoots, $"path {PathDisplay.Quote(raw)} is outside the allowed roots ({Rule}); {Inside}");

    public PathValidationResult Symlink(SymlinkResolver.Outcome outcome, string raw) => outcome switch
    {
        SymlinkResolver.Outcome.Loop => Reject(PathRejection.SymlinkLoop, $"path {PathDisplay.Quote(raw)} passes through a symbolic-link loop or more than {SymlinkResolver.MaxLinkHops} links; pass a path without the looping link"),
        SymlinkResolver.Outcome.Unreadable => Reject(PathRejection.SymlinkUnverifiable, $"path {PathDisplay.Quote(raw)} could not be checked for symbolic links (a component is unreadable); pass a path the gateway can inspect inside one of: {rootList}"),
        // The link target is deliberately not named: it would tell the caller about files outside the roots.
        _ => Reject(PathRejection.SymlinkEscape, $"path {PathDisplay.Quote(raw)} goes through a symbolic link that points outside the allowed roots; {Inside}"),
    };

    private string Rule => rules == PathRules.Windows ? "Windows rules" : "POSIX rules";

    private static PathValidationResult Reject(PathRejection reason, string message) => PathValidationResult.Rejected(reason, message);
}
