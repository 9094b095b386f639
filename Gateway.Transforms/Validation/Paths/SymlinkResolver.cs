namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// Resolves the symbolic links of the existing prefix of a host path the way the kernel would, one name at a time;
/// names past the first missing one are appended as they are.
/// </summary>
internal static class SymlinkResolver
{
    /// <summary>Linux's MAXSYMLINKS: more hops than this is treated as a loop.</summary>
    public const int MaxLinkHops = 40;

    public enum Outcome
    {
        Resolved,
        Loop,
        Unreadable,
    }

    /// <param name="resolvedBase">An absolute host directory that already contains no links.</param>
    /// <param name="relative">'/'-separated names to resolve below it.</param>
    public static Outcome Resolve(string resolvedBase, string relative, out string resolved)
    {
        var pending = new Stack<string>();
        PushNames(pending, relative);
        string current = resolvedBase;
        bool existing = true;
        int hops = 0;
        while (pending.TryPop(out string? name))
        {
            if (name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                // current has no links left, so its lexical parent is its physical parent.
                current = Parent(current);
                continue;
            }

            string next = Join(current, name);
            if (existing)
            {
                string? target;
                try
                {
                    target = new FileInfo(next).LinkTarget;
                    existing = target is not null || Path.Exists(next);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    resolved = next;
                    return Outcome.Unreadable;
                }

                if (target is not null)
                {
                    if (++hops > MaxLinkHops)
                    {
                        resolved = next;
                        return Outcome.Loop;
                    }

                    if (target.StartsWith('/'))
                    {
                        current = "/";
                    }

                    PushNames(pending, target);
                    continue;
                }
            }

            current = next;
        }

        resolved = current;
        return Outcome.Resolved;
    }

    private static void PushNames(Stack<string> pending, string path)
    {
        string[] names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = names.Length - 1; i >= 0; i--)
        {
            pending.Push(names[i]);
        }
    }

    private static string Join(string directory, string name) =>
        directory.EndsWith('/') ? directory + name : directory + "/" + name;

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
