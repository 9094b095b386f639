using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Resilience;

/// <summary>The routes.json metadata keys this area reads, and their parsing (shared by validation and the hot path).</summary>
public static class ResilienceMetadata
{
    /// <summary>Route metadata: total time a call may take (e.g. <c>"00:00:05"</c>); the route's own <c>Timeout</c> is stored here too.</summary>
    public const string TimeoutKey = "Gateway.Timeout";

    /// <summary>Cluster metadata: calls in flight before new ones are refused with BackendBusy.</summary>
    public const string MaxConcurrentRequestsKey = "Gateway.MaxConcurrentRequests";

    public static bool TryParseTimeout(string? text, out TimeSpan timeout) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out timeout) && timeout > TimeSpan.Zero;

    public static bool TryParseConcurrency(string? text, out int limit) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1;

    public static string? Get(IReadOnlyDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : null;

    /// <summary>The cluster's bulkhead size: its metadata if set and valid, else the configured default.</summary>
    public static int MaxConcurrentRequests(ClusterConfig cluster, int fallback) =>
        TryParseConcurrency(Get(cluster.Metadata, MaxConcurrentRequestsKey), out var limit) ? limit : fallback;
}
