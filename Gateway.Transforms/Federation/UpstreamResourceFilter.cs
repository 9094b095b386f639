using System.Diagnostics.CodeAnalysis;

namespace Gateway.Transforms.Federation;

/// <summary>
/// Which of an upstream's resources and resource templates are federated: <c>Resources.Include</c> (all when empty)
/// minus <c>Resources.Exclude</c>, matched on canonical forms (<see cref="CanonicalResourceUri"/>). A URI is allowed
/// when it passes both lists itself; so a URI an excluded template entry can expand to is refused, as is any URI
/// outside <c>Include</c>. A URI that has no canonical form is refused whenever the upstream has lists.
/// </summary>
public sealed class UpstreamResourceFilter
{
    public static readonly UpstreamResourceFilter None = new([], []);

    private readonly ResourceUriPattern[] _include;
    private readonly ResourceUriPattern[] _exclude;

    /// <param name="include">Entries that passed <see cref="ResourceUriPattern.TryParse"/>.</param>
    public UpstreamResourceFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        _include = include.Select(Parse).ToArray();
        _exclude = exclude.Select(Parse).ToArray();
    }

    /// <summary>No lists: every resource is federated and URIs are sent upstream as the client wrote them.</summary>
    public bool IsEmpty => _include.Length == 0 && _exclude.Length == 0;

    /// <summary>
    /// Whether the URI may be read or subscribed to, and the form to send upstream: the canonical form that was
    /// checked (the URI as written when there are no lists).
    /// </summary>
    public bool AllowsUri(string uri, [NotNullWhen(true)] out string? sent)
    {
        sent = null;
        if (IsEmpty)
        {
            sent = uri;
            return true;
        }

        if (!CanonicalResourceUri.TryCanonicalize(uri, template: false, out var canonical, out _)
            || (_include.Length > 0 && !_include.Any(p => p.MatchesUri(canonical)))
            || _exclude.Any(p => p.MatchesUri(canonical)))
        {
            return false;
        }

        sent = canonical;
        return true;
    }

    public bool AllowsUri(string uri) => AllowsUri(uri, out _);

    /// <summary>Whether a listed template (its <c>uriTemplate</c>) is federated; completions against it too.</summary>
    public bool AllowsTemplate(string uriTemplate)
    {
        if (IsEmpty)
        {
            return true;
        }

        return CanonicalResourceUri.TryCanonicalize(uriTemplate, template: true, out var canonical, out _)
            && (_include.Length == 0 || _include.Any(p => p.MatchesTemplate(canonical)))
            && !_exclude.Any(p => p.MatchesTemplate(canonical));
    }

    private static ResourceUriPattern Parse(string entry) =>
        ResourceUriPattern.TryParse(entry, out var pattern, out var error) ? pattern : throw new ArgumentException(error, nameof(entry));
}
