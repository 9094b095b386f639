namespace Gateway.Transforms.Federation;

/// <summary>Which callers share one of the gateway's MCP sessions with an upstream (routes.json <c>SessionScope</c>).</summary>
public enum UpstreamSessionScope
{
    /// <summary>One session for every caller (the default).</summary>
    Shared,

    /// <summary>
    /// One session per verified principal (subject and tenant), for upstreams whose answers depend on who asks within a
    /// session. Anonymous callers share one. Network upstreams only.
    /// </summary>
    Principal,
}
