namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// The decision for one path. When allowed, <see cref="CanonicalPath"/> is the path to forward to the backend
/// (decoded, dot-free, single separators); never forward the raw input.
/// </summary>
public readonly record struct PathValidationResult(bool IsAllowed, string? CanonicalPath, PathRejection Reason, string? Message)
{
    internal static PathValidationResult Allowed(string canonicalPath) => new(true, canonicalPath, PathRejection.None, null);

    internal static PathValidationResult Rejected(PathRejection reason, string message) => new(false, null, reason, message);
}
