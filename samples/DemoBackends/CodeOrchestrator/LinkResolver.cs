namespace DemoBackends.CodeOrchestrator;

/// <summary>
/// Resolves every symbolic link of an absolute path one name at a time, the way the kernel does when it opens the
/// path: a link's target replaces the link and is itself resolved, and ".." in a target applies to the resolved
/// directory. Names past the first one that does not exist are kept as they are.
/// </summary>
internal static class LinkResolver
{
    private const int MaxLinkHops = 40;

    /// <returns>The resolved absolute path, or null for a link loop or an unreadable component.</returns>
    public static string? Resolve(string absolutePath)
    {
        var root = Path.GetPathRoot(absolutePath)!;
        var pending = new Stack<string>();
        Push(pending, absolutePath[root.Length..]);
        var current = root;
        var exists = true;
        var hops = 0;
        while (pending.TryPop(out var name))
        {
            if (name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                // current has no links left in it, so its textual parent is its real parent.
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, name);
            if (exists)
            {
                string? target;
                try
                {
                    var info = new FileInfo(next);
                    target = info.LinkTarget;
                    exists = target is not null || info.Exists || Directory.Exists(next);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return null;
                }

                if (target is not null)
                {
                    if (++hops > MaxLinkHops)
                    {
                        return null;
                    }

                    if (Path.IsPathRooted(target))
                    {
                        current = Path.GetPathRoot(target)!;
                        target = target[current.Length..];
                    }

                    Push(pending, target);
                    continue;
                }
            }

            current = next;
        }

        return current;
    }

    private static void Push(Stack<string> pending, string relative)
    {
        var names = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = names.Length - 1; i >= 0; i--)
        {
            pending.Push(names[i]);
        }
    }
}
