using System.Globalization;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Resilience;

/// <summary>The rejections this area raises; each names the cluster and says when trying again makes sense.</summary>
public static class ResilienceRejections
{
    public static GatewayRejection CircuitOpen(string clusterId, TimeSpan? retryAfter)
    {
        var message = retryAfter is { } wait && wait > TimeSpan.Zero
            ? $"the circuit breaker for cluster '{clusterId}' is open after repeated failures; next probe in {wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s. Retry after that."
            : $"the circuit breaker for cluster '{clusterId}' is testing whether the backend recovered; retry in a moment.";
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.Zero).TotalSeconds));
        return new GatewayRejection(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.BackendUnavailable, message, RejectionKind.ToolError)
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) },
            Data = new Dictionary<string, object?> { ["cluster"] = clusterId, ["retry_after_seconds"] = seconds },
        };
    }

    public static GatewayRejection Busy(string clusterId, int limit) =>
        new(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.BackendBusy,
            $"cluster '{clusterId}' already has {limit} calls in flight, its concurrency limit; retry shortly.",
            RejectionKind.ToolError)
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
            Data = new Dictionary<string, object?> { ["cluster"] = clusterId, ["limit"] = limit },
        };

    /// <summary>What a passthrough caller is told; a tool call's timeout is mapped like YARP's own (a ToolTimeout result).</summary>
    public static GatewayRejection Timeout(string routeId, string clusterId, TimeSpan timeout) =>
        new(StatusCodes.Status504GatewayTimeout, GatewayErrorCodes.ToolTimeout,
            $"route '{routeId}' timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s waiting for cluster '{clusterId}'.",
            RejectionKind.ToolError);
}
