using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Tools.ResultSize;

/// <summary>The routes.json metadata key that caps a tool's backend answer, and its parsing (shared by validation and calls).</summary>
public static class ResultSizeMetadata
{
    /// <summary>Route metadata: the largest backend answer, in bytes, a tool call may return (e.g. <c>"4194304"</c>).</summary>
    public const string MaxResultBytesKey = "Gateway.MaxResultBytes";

    /// <summary>The answer is buffered in memory, so one call may not hold more than this.</summary>
    public const long MaxAllowed = 256L * 1024 * 1024;

    public static bool TryParse(string? text, out long limit) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxAllowed;

    /// <summary>The route's cap if set (validation refuses a bad one), else the configured default.</summary>
    public static long For(RouteConfig? route, long fallback) =>
        route?.Metadata is { } metadata && metadata.TryGetValue(MaxResultBytesKey, out var text) && TryParse(text, out var limit)
            ? limit
            : fallback;
}
