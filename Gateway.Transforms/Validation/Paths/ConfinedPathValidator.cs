using System.Buffers;

namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// Decides whether a path argument (possibly written by a prompt-injected agent) stays inside the allowed roots, after
/// canonicalizing it under the backend's path rules. Thread-safe; build once per policy.
/// </summary>
public sealed class ConfinedPathValidator
{
    private const int StackChars = 512;
    private const int StackSegments = 128;

    private readonly PathPolicy _policy;
    private readonly PathSyntax _syntax;
    private readonly AllowedRoot[] _roots;
    private readonly StringComparison _comparison;
    private readonly int _longestRoot;
    private readonly PathRejectionMessages _messages;

    /// <exception cref="ArgumentException">The policy is invalid; the message names every bad root or setting.</exception>
    public ConfinedPathValidator(PathPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<string>();
        _roots = PrepareRoots(policy, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid path policy: " + string.Join("; ", errors), nameof(policy));
        }

        _policy = policy;
        _syntax = PathSyntax.For(policy.Rules);
        _comparison = policy.IsCaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        _longestRoot = _roots.Max(r => r.Canonical.Length);
        _messages = new PathRejectionMessages(string.Join(", ", _roots.Select(r => r.Canonical)), policy.Rules);
    }

    /// <summary>Configuration errors of a policy, each naming the problem and the fix; empty when valid.</summary>
    public static IReadOnlyList<string> ValidatePolicy(PathPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<string>();
        PrepareRoots(policy, errors);
        return errors;
    }

    /// <summary>Validates one path argument. Never throws; a null or blank input is rejected as empty.</summary>
    public PathValidationResult Validate(string rawPath)
    {
        if (string.IsNullOrWhiteSpace(rawPath))
        {
            return _messages.Empty();
        }

        // Decoding can only shrink the text, so anything over 3x the limit is too long before any work is done.
        if (rawPath.Length > _policy.MaxPathLength * 3L)
        {
            return _messages.TooLong(rawPath, rawPath.Length, _policy.MaxPathLength, "length");
        }

        PathRejection decoding = PercentDecoding.DecodeOnce(rawPath, out string path, out int errorIndex);
        if (decoding == PathRejection.InvalidCharacter)
        {
            return _messages.Character(decoding, rawPath, rawPath, errorIndex);
        }

        if (decoding != PathRejection.None)
        {
            return _messages.InvalidPercentEncoding(rawPath, errorIndex);
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            return _messages.Empty();
        }

        if (path.Length > _policy.MaxPathLength)
        {
            return _messages.TooLong(rawPath, path.Length, _policy.MaxPathLength, "decoded length");
        }

        int bad = PathCharacters.IndexOfDisallowed(path, out PathRejection characterProblem);
        if (bad >= 0)
        {
            return _messages.Character(characterProblem, rawPath, path, bad);
        }

        if (!ReferenceEquals(path, rawPath) && PercentDecoding.IndexOfEscape(path) >= 0)
        {
            return _messages.StillEncoded(rawPath);
        }

        // Under Windows rules a one-letter "scheme" is a drive letter, which the anchor rules judge.
        int scheme = UriSchemePrefix.Length(path, out int schemeStart);
        if (scheme > 1 || (scheme == 1 && _policy.Rules == PathRules.Posix))
        {
            return _messages.UriScheme(rawPath, path.Substring(schemeStart, scheme));
        }

        PathRejection anchorProblem = _syntax.ParseAnchor(path, out PathAnchor anchor);
        if (anchorProblem != PathRejection.None)
        {
            return _messages.Anchor(anchorProblem, rawPath);
        }

        if (!anchor.IsAbsolute && !_policy.AllowRelative)
        {
            return _messages.RelativeNotAllowed(rawPath);
        }

        if (anchor.IsAbsolute && !HasRootOnDrive(anchor.Drive))
        {
            return _messages.OtherDrive(rawPath, anchor.Drive);
        }

        return Canonicalize(rawPath, path, anchor);
    }

    private PathValidationResult Canonicalize(string rawPath, string path, PathAnchor anchor)
    {
        int capacity = path.Length + _longestRoot + 4;
        int maxDepth = (capacity / 2) + 2;
        char[]? rentedChars = null;
        int[]? rentedStarts = null;
        Span<char> chars = capacity <= StackChars ? stackalloc char[StackChars] : (rentedChars = ArrayPool<char>.Shared.Rent(capacity));
        Span<int> starts = maxDepth <= StackSegments ? stackalloc int[StackSegments] : (rentedStarts = ArrayPool<int>.Shared.Rent(maxDepth));
        try
        {
            AllowedRoot? entered = anchor.IsAbsolute ? null : _roots[0];
            var builder = new CanonicalPathBuilder(chars, starts, _syntax, entered?.Drive ?? anchor.Drive);
            int floor = 0;
            if (entered is null)
            {
                entered = RootAt(builder.Current, 0);
            }
            else
            {
                foreach (ReadOnlySpan<char> name in new PathSegments(entered.Canonical.AsSpan(_syntax.PrefixLength), _syntax))
                {
                    builder.Push(name);
                }

                floor = entered.SegmentCount;
            }

            foreach (ReadOnlySpan<char> segment in new PathSegments(path.AsSpan(anchor.BodyStart), _syntax))
            {
                if (segment.Length > _policy.MaxSegmentLength)
                {
                    return _messages.TooLong(rawPath, segment.Length, _policy.MaxSegmentLength, "name");
                }

                PathRejection segmentProblem = _syntax.CheckSegment(segment);
                if (segmentProblem != PathRejection.None)
                {
                    return _messages.Segment(segmentProblem, rawPath, segment);
                }

                if (segment is ".")
                {
                    continue;
                }

                if (segment is "..")
                {
                    // Once a path has entered a root it may not leave it, even if it would come back later.
                    if (builder.Depth <= floor)
                    {
                        return _messages.EscapesRoot(rawPath, entered);
                    }

                    builder.Pop();
                    continue;
                }

                builder.Push(segment);
                if (entered is null && (entered = RootAt(builder.Current, builder.Depth)) is not null)
                {
                    floor = builder.Depth;
                }
            }

            ReadOnlySpan<char> canonical = builder.Current;
            if (canonical.Length > _policy.MaxPathLength)
            {
                return _messages.TooLong(rawPath, canonical.Length, _policy.MaxPathLength, "canonical length");
            }

            AllowedRoot? container = Container(canonical);
            if (container is null)
            {
                return _messages.OutsideRoots(rawPath);
            }

            string result = new(canonical);
            return container.HostResolved is null ? PathValidationResult.Allowed(result) : CheckSymlinks(rawPath, result, container);
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedStarts is not null)
            {
                ArrayPool<int>.Shared.Return(rentedStarts);
            }
        }
    }

    private PathValidationResult CheckSymlinks(string rawPath, string canonical, AllowedRoot container)
    {
        string below = canonical[container.Canonical.Length..];
        SymlinkResolver.Outcome outcome = SymlinkResolver.Resolve(container.HostResolved!, below, out string resolved);
        if (outcome != SymlinkResolver.Outcome.Resolved)
        {
            return _messages.Symlink(outcome, rawPath);
        }

        foreach (AllowedRoot root in _roots)
        {
            if (root.ContainsResolved(resolved, _comparison))
            {
                return PathValidationResult.Allowed(canonical);
            }
        }

        return _messages.Symlink(outcome, rawPath) with { Reason = PathRejection.SymlinkEscape };
    }

    private AllowedRoot? RootAt(ReadOnlySpan<char> current, int depth)
    {
        foreach (AllowedRoot root in _roots)
        {
            if (root.SegmentCount == depth && current.Equals(root.Canonical, _comparison))
            {
                return root;
            }
        }

        return null;
    }

    private AllowedRoot? Container(ReadOnlySpan<char> canonical)
    {
        foreach (AllowedRoot root in _roots)
        {
            if (root.Contains(canonical, _comparison))
            {
                return root;
            }
        }

        return null;
    }

    private bool HasRootOnDrive(char drive)
    {
        foreach (AllowedRoot root in _roots)
        {
            if (root.Drive == drive)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Normalizes the roots and, when the gateway resolves links, finds each one on this host.</summary>
    private static AllowedRoot[] PrepareRoots(PathPolicy policy, List<string> errors)
    {
        AllowedRoot[] roots = NormalizeRoots(policy, errors);
        if (policy.Symlinks != SymlinkHandling.ResolveOnGateway || errors.Count > 0)
        {
            return roots;
        }

        if (policy.Rules != PathRules.Posix || OperatingSystem.IsWindows())
        {
            errors.Add($"Symlinks is {nameof(SymlinkHandling.ResolveOnGateway)} (the default), but the gateway can resolve links only under Posix rules on a POSIX host "
                + $"(rules: {policy.Rules}, host: {(OperatingSystem.IsWindows() ? "Windows" : "POSIX")}); set \"Symlinks\": \"{nameof(SymlinkHandling.BackendConfines)}\" "
                + "if the backend resolves links and confines the resolved path to the root itself");
            return roots;
        }

        foreach (AllowedRoot root in roots)
        {
            if (RootResolver.TryResolve(root.Canonical, out string resolved, out string? problem))
            {
                root.SetHostResolved(resolved);
            }
            else
            {
                errors.Add($"root {PathDisplay.Quote(root.Canonical)} {problem}, so the gateway cannot resolve symbolic links under it "
                    + $"(Symlinks is {nameof(SymlinkHandling.ResolveOnGateway)}, the default). Fix it one of two ways: make that directory visible to the gateway "
                    + "at the same path the backend uses (for example a read-only mount of the backend's volume), or set "
                    + $"\"Symlinks\": \"{nameof(SymlinkHandling.BackendConfines)}\" if the backend resolves links and confines the resolved path to the root itself");
            }
        }

        return roots;
    }

    private static AllowedRoot[] NormalizeRoots(PathPolicy policy, List<string> errors)
    {
        if (policy.MaxPathLength < 1)
        {
            errors.Add($"MaxPathLength is {policy.MaxPathLength}; set it to a positive number of characters (default 4096)");
        }

        if (policy.MaxSegmentLength < 1)
        {
            errors.Add($"MaxSegmentLength is {policy.MaxSegmentLength}; set it to a positive number of characters (default 255)");
        }

        if (policy.AllowedRoots is null || policy.AllowedRoots.Count == 0)
        {
            string example = policy.Rules == PathRules.Windows ? @"C:\repos" : "/srv/repos";
            errors.Add($"AllowedRoots is empty; add at least one absolute directory like {example}");
            return [];
        }

        PathSyntax syntax = PathSyntax.For(policy.Rules);
        var roots = new AllowedRoot[policy.AllowedRoots.Count];
        for (int i = 0; i < roots.Length; i++)
        {
            AllowedRoot? root = RootNormalizer.TryNormalize(policy.AllowedRoots[i], syntax, out string? error);
            if (root is null)
            {
                errors.Add(error!);
            }
            else
            {
                roots[i] = root;
            }
        }

        return roots;
    }
}
