namespace Gateway.Transforms.Validation.Paths;

/// <summary>The path syntax of the backend that will open the file, independent of the gateway's own OS.</summary>
public enum PathRules
{
    /// <summary>'/' is the only separator; every other character except NUL is part of a name.</summary>
    Posix,

    /// <summary>'\' and '/' are separators; drives, UNC, device names, streams and trailing dots apply.</summary>
    Windows,
}
