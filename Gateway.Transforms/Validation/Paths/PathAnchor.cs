namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// The start of a path: whether it is absolute, its drive (Windows rules, upper case; '\0' otherwise) and where the
/// segments begin.
/// </summary>
internal readonly record struct PathAnchor(bool IsAbsolute, char Drive, int BodyStart);
