namespace Gateway.Transforms.Federation;

/// <summary>
/// Which upstream tools (or, for an upstream's <c>Prompts</c> lists, prompts) are federated: those matching
/// <c>Include</c> (all when it is empty) and not matching <c>Exclude</c>. Entries are upstream names; a trailing
/// <c>*</c> matches any ending.
/// </summary>
public sealed class UpstreamToolFilter
{
    private readonly IReadOnlyList<string> _include;
    private readonly IReadOnlyList<string> _exclude;

    public UpstreamToolFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        _include = include;
        _exclude = exclude;
    }

    public bool Allows(string upstreamToolName) =>
        (_include.Count == 0 || _include.Any(p => Matches(p, upstreamToolName))) && !_exclude.Any(p => Matches(p, upstreamToolName));

    public static bool Matches(string pattern, string name) =>
        pattern.EndsWith('*')
            ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, name, StringComparison.Ordinal);
}
