namespace Gateway.Transforms.Validation.Paths;

/// <summary>Who makes sure a path does not leave its root through a symbolic link (transform key <c>Symlinks</c>).</summary>
public enum SymlinkHandling
{
    /// <summary>
    /// The gateway resolves every link of the existing part of the path on its own file system and re-checks the
    /// target. Every root must then be a directory the gateway can see at the same path as the backend (POSIX rules).
    /// </summary>
    ResolveOnGateway,

    /// <summary>
    /// The gateway checks the path lexically only; the operator declares that the backend resolves links itself and
    /// confines the fully resolved path to the root. Required when the root is not visible to the gateway.
    /// </summary>
    BackendConfines,
}
