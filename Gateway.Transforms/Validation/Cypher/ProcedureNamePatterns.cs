namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Case-insensitive set of exact procedure names and <c>namespace.*</c> prefixes.</summary>
internal sealed class ProcedureNamePatterns
{
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    private ProcedureNamePatterns(string[] exact, string[] prefixes)
    {
        _exact = exact;
        _prefixes = prefixes;
    }

    public static ProcedureNamePatterns From(IEnumerable<string>? patterns)
    {
        var exact = new List<string>();
        var prefixes = new List<string>();
        foreach (string? raw in patterns ?? [])
        {
            string pattern = raw?.Trim() ?? string.Empty;
            if (pattern.EndsWith(".*", StringComparison.Ordinal) && pattern.Length > 2)
            {
                prefixes.Add(pattern[..^1]);
            }
            else if (pattern.Length > 0)
            {
                exact.Add(pattern);
            }
        }

        return new ProcedureNamePatterns([.. exact], [.. prefixes]);
    }

    /// <summary>Prefixes are matched as raw prefixes (give them a trailing dot to match whole namespaces).</summary>
    public static ProcedureNamePatterns FromPrefixes(string[] exact, string[] prefixes) => new(exact, prefixes);

    public bool Matches(ReadOnlySpan<char> name)
    {
        foreach (string exact in _exact)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (string prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
