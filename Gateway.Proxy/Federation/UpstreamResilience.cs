using System.Runtime.ExceptionServices;
using Gateway.Proxy.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Federation;

/// <summary>
/// The protections a REST tool call gets from its route's YARP pipeline, for every request a federated upstream is
/// sent (tool calls, resource reads, prompts, completions): the cluster's concurrency limit (BackendBusy), the route
/// timeout as one deadline for all attempts, and the cluster's retry budget and circuit breaker
/// (<see cref="ClusterResilienceRegistry"/>, shared with the cluster's REST routes; an open circuit is
/// BackendUnavailable). The attempt decides what an answer means; this decides whether and how often it is tried.
/// </summary>
public sealed partial class UpstreamResilience
{
    private readonly ClusterResilienceRegistry _clusters;
    private readonly RouteTimeouts _timeouts;
    private readonly ILogger<UpstreamResilience> _logger;

    public UpstreamResilience(ClusterResilienceRegistry clusters, RouteTimeouts timeouts, ILogger<UpstreamResilience> logger)
    {
        _clusters = clusters;
        _timeouts = timeouts;
        _logger = logger;
    }

    /// <param name="cluster">The upstream's YARP cluster, or its stand-in when the gateway runs it (Stdio).</param>
    public async Task<UpstreamRun> RunAsync(string server, ClusterConfig cluster, RouteModel route, IUpstreamAttempt attempt, CancellationToken cancellationToken)
    {
        var resilience = _clusters.For(cluster);
        if (!resilience.Gate.TryEnter())
        {
            Log.Busy(_logger, server, resilience.ClusterId, resilience.Gate.Limit);
            return UpstreamRun.Refused(ResilienceRejections.Busy(resilience.ClusterId, resilience.Gate.Limit));
        }

        try
        {
            using var deadline = new UpstreamDeadline(cancellationToken, _timeouts.For(route));
            var tries = new Tries(attempt, deadline);
            var outcome = await resilience.ExecuteAsync(Tries.RunAsync, tries, cancellationToken);
            if (tries.Count > 1)
            {
                Log.Retried(_logger, server, resilience.ClusterId, tries.Count - 1);
            }

            switch (outcome.Exception)
            {
                case null:
                    return UpstreamRun.Done;
                case BrokenCircuitException broken:
                    return UpstreamRun.Refused(ResilienceRejections.CircuitOpen(resilience.ClusterId, broken.RetryAfter));
                case OperationCanceledException when deadline.TimedOut:
                    // The deadline expired between attempts (during a retry's backoff).
                    return UpstreamRun.Timeout;
                default:
                    ExceptionDispatchInfo.Throw(outcome.Exception);
                    return default;
            }
        }
        finally
        {
            resilience.Gate.Exit();
        }
    }

    private sealed class Tries(IUpstreamAttempt attempt, UpstreamDeadline deadline)
    {
        public int Count { get; private set; }

        public static async ValueTask<Outcome<AttemptResult>> RunAsync(ResilienceContext _, Tries tries)
        {
            tries.Count++;
            var kind = await tries.Attempt.RunAsync(tries.Deadline);
            return Outcome.FromResult(new AttemptResult(kind, tries.Attempt.RetrySafe));
        }

        private IUpstreamAttempt Attempt { get; } = attempt;

        private UpstreamDeadline Deadline { get; } = deadline;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Upstream '{Server}': cluster {ClusterId} is at its concurrency limit of {Limit}; federated request refused")]
        public static partial void Busy(ILogger logger, string server, string clusterId, int limit);

        [LoggerMessage(EventId = 3404, Level = LogLevel.Information, Message = "Upstream '{Server}': federated request on cluster {ClusterId} retried {Retries} time(s) after connection failures")]
        public static partial void Retried(ILogger logger, string server, string clusterId, int retries);
    }
}
