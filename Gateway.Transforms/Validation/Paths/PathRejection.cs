namespace Gateway.Transforms.Validation.Paths;

/// <summary>Why a path was refused. <see cref="None"/> means it was allowed.</summary>
public enum PathRejection
{
    None,
    Empty,
    StillEncoded,
    InvalidPercentEncoding,
    ControlCharacter,
    OutsideRoots,
    EscapesRoot,
    DriveChange,
    UncPath,
    DevicePath,
    ReservedDeviceName,
    AlternateDataStream,
    TrailingDotOrSpace,
    SymlinkEscape,
    TooLong,

    /// <summary>A configured root is not absolute; reported by <see cref="ConfinedPathValidator.ValidatePolicy"/>, never by Validate.</summary>
    NotAbsoluteRoot,

    /// <summary>A character that is a lone surrogate, a bidi control, a separator/dot look-alike, or forbidden in Windows names.</summary>
    InvalidCharacter,

    /// <summary>The input is relative but <see cref="PathPolicy.AllowRelative"/> is off.</summary>
    RelativeNotAllowed,

    /// <summary>Following symbolic links took more hops than the kernel would allow (a loop or a very long chain).</summary>
    SymlinkLoop,

    /// <summary>A link on the path could not be inspected, so confinement cannot be proven.</summary>
    SymlinkUnverifiable,

    /// <summary>The value starts with a URI scheme (<c>file:</c>, <c>http:</c>, <c>jar:</c>...; under Posix rules also a drive letter like <c>C:</c>).</summary>
    UriScheme,
}
