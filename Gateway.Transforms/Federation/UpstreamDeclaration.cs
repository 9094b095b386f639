using ModelContextProtocol.Protocol;

namespace Gateway.Transforms.Federation;

/// <summary>One entry of <c>Federation.Upstreams</c> in routes.json, as parsed (before it is checked against the rest of the file).</summary>
public sealed record UpstreamDeclaration(
    string Server,
    string ClusterId,
    UpstreamTransport Transport,
    string Path,
    string Namespace,
    string Separator,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<UpstreamToolOverride> Tools,
    UpstreamCredential Credential)
{
    /// <summary>The route keys the upstream's tools share unless a tool entry sets its own.</summary>
    public UpstreamRoutePolicy Policy { get; init; } = UpstreamRoutePolicy.Empty;

    /// <summary>The entry's JSON text as written, to tell a reload that changed the upstream from one that did not.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Which callers share a session with the upstream.</summary>
    public UpstreamSessionScope SessionScope { get; init; } = UpstreamSessionScope.Shared;

    /// <summary>How its resource URIs are shown: prefixed with the gateway's scheme and the server (default) or verbatim.</summary>
    public UpstreamResourceUris ResourceUris { get; init; } = UpstreamResourceUris.Prefixed;

    /// <summary>For the Stdio transport: the process the gateway runs.</summary>
    public UpstreamProcess? Process { get; init; }

    /// <summary>The entry's <c>Pinning.Unpinned</c>; null follows <c>Gateway:Federation:Pinning:Unpinned</c>.</summary>
    public Pinning.UnpinnedToolPolicy? UnpinnedTools { get; init; }

    /// <summary>The entry's <c>Resources</c> lists: which resource URIs and templates are federated.</summary>
    public UpstreamPrimitiveLists Resources { get; init; } = UpstreamPrimitiveLists.None;

    /// <summary>The entry's <c>Prompts</c> lists: which upstream prompts are federated.</summary>
    public UpstreamPrimitiveLists Prompts { get; init; } = UpstreamPrimitiveLists.None;

    /// <summary>
    /// A Stdio upstream has no YARP cluster; this id stands for it where the gateway keys per-cluster state (breaker,
    /// concurrency limit, tool availability, audit). The ':' keeps it apart from any YARP cluster id one may declare.
    /// </summary>
    public static string StdioClusterId(string server) => "stdio:" + server;
}

/// <summary>An entry of an upstream's <c>Tools</c>: how one upstream tool is shown and guarded.</summary>
public sealed record UpstreamToolOverride(
    string UpstreamName,
    string? Name,
    string? Title,
    string? Description,
    ToolAnnotations? Annotations)
{
    public UpstreamRoutePolicy Policy { get; init; } = UpstreamRoutePolicy.Empty;
}

/// <summary>
/// The YARP route keys a federated tool is guarded by, with the same meaning as on a REST tool route:
/// <c>AuthorizationPolicy</c>, <c>RateLimiterPolicy</c>, <c>Timeout</c>, <c>Metadata</c> (access rules such as
/// <c>Gateway.RequiredScopes</c>) and validator <c>Transforms</c> (<c>ValidateCypher</c>, <c>ValidatePath</c>).
/// </summary>
public sealed record UpstreamRoutePolicy(
    string? AuthorizationPolicy,
    string? RateLimiterPolicy,
    TimeSpan? Timeout,
    IReadOnlyDictionary<string, string>? Metadata,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? Transforms)
{
    public static readonly UpstreamRoutePolicy Empty = new(null, null, null, null, null);

    public bool IsEmpty => this == Empty;

    /// <summary>This entry's keys, falling back to <paramref name="shared"/> for each key it does not set.</summary>
    public UpstreamRoutePolicy Over(UpstreamRoutePolicy shared) => new(
        AuthorizationPolicy ?? shared.AuthorizationPolicy,
        RateLimiterPolicy ?? shared.RateLimiterPolicy,
        Timeout ?? shared.Timeout,
        Metadata ?? shared.Metadata,
        Transforms ?? shared.Transforms);
}
