namespace Gateway.Proxy.Federation.Health;

public enum UpstreamOverallStatus
{
    Healthy,
    Degraded,
    Unhealthy,
}

/// <summary>
/// One dual check of an upstream: <see cref="RestSuccess"/> is YARP's view of its cluster's destinations (null for a
/// Stdio upstream, which has no HTTP side), <see cref="McpSuccess"/> whether <c>tools/list</c> answered on its session,
/// <see cref="MissingTools"/> the expected tools (pinned, or in the catalog from earlier listings) it did not list.
/// </summary>
public sealed record UpstreamHealthReport(
    string Server,
    bool McpSuccess,
    bool? RestSuccess,
    IReadOnlyList<string> MissingTools,
    IReadOnlyList<string> ListedTools,
    string? McpError,
    string? RestDetail,
    DateTimeOffset CheckedAt,
    DateTimeOffset? LastMcpSuccessAt)
{
    public UpstreamOverallStatus Overall =>
        (McpSuccess, RestSuccess ?? McpSuccess) switch
        {
            (true, true) when MissingTools.Count == 0 => UpstreamOverallStatus.Healthy,
            (false, false) => UpstreamOverallStatus.Unhealthy,
            _ => UpstreamOverallStatus.Degraded,
        };

    public string OverallText => Overall.ToString().ToLowerInvariant();
}
