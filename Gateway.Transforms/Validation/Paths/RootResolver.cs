namespace Gateway.Transforms.Validation.Paths;

/// <summary>Finds a configured root on this host with every symbolic link resolved, or says why it cannot.</summary>
internal static class RootResolver
{
    public static bool TryResolve(string root, out string resolved, out string? problem)
    {
        resolved = root;
        try
        {
            if (!Directory.Exists(root))
            {
                problem = File.Exists(root) ? "is a file on the gateway host, not a directory" : "does not exist on the gateway host";
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = "cannot be read on the gateway host";
            return false;
        }

        switch (SymlinkResolver.Resolve("/", root, out resolved))
        {
            case SymlinkResolver.Outcome.Resolved:
                problem = null;
                return true;
            case SymlinkResolver.Outcome.Loop:
                problem = $"passes through a symbolic-link loop or more than {SymlinkResolver.MaxLinkHops} links on the gateway host";
                return false;
            default:
                problem = "cannot be read on the gateway host";
                return false;
        }
    }
}
