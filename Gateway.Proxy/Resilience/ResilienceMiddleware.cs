using System.Runtime.ExceptionServices;
using Gateway.Proxy.Pipeline;
using Gateway.Transforms.Pipeline;
using Polly;
using Polly.CircuitBreaker;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// The proxy-pipeline middleware for backend failure handling, after the gateway steps and before load balancing,
/// so it covers MCP tool calls, the REST facade and passthrough routes alike. Per call: the cluster's bulkhead, the
/// route timeout (one deadline for all attempts), then retries and the circuit breaker.
/// </summary>
public sealed partial class ResilienceMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ClusterResilienceRegistry _clusters;
    private readonly RouteTimeouts _timeouts;
    private readonly ILogger<ResilienceMiddleware> _logger;

    public ResilienceMiddleware(RequestDelegate next, ClusterResilienceRegistry clusters, RouteTimeouts timeouts, ILogger<ResilienceMiddleware> logger)
    {
        _next = next;
        _clusters = clusters;
        _timeouts = timeouts;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        if (proxy.AvailableDestinations.Count == 0)
        {
            // Nothing can be sent; YARP answers NoAvailableDestinations, which must not count against the breaker.
            await _next(context);
            return;
        }

        var cluster = _clusters.For(proxy.Cluster.Config);
        if (!cluster.Gate.TryEnter())
        {
            Log.Busy(_logger, cluster.ClusterId, cluster.Gate.Limit);
            await RejectAsync(context, ResilienceRejections.Busy(cluster.ClusterId, cluster.Gate.Limit));
            return;
        }

        try
        {
            var timeout = _timeouts.For(proxy.Route);
            if (timeout is null)
            {
                await RunAsync(context, proxy, cluster, context.RequestAborted, timeoutSource: null, timeout: default);
                return;
            }

            var callerAborted = context.RequestAborted;
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(callerAborted);
            timeoutSource.CancelAfter(timeout.Value);
            context.RequestAborted = timeoutSource.Token;
            try
            {
                await RunAsync(context, proxy, cluster, callerAborted, timeoutSource, timeout.Value);
            }
            finally
            {
                context.RequestAborted = callerAborted;
            }
        }
        finally
        {
            cluster.Gate.Exit();
        }
    }

    private async Task RunAsync(
        HttpContext context, IReverseProxyFeature proxy, ClusterResilience cluster, CancellationToken callerAborted, CancellationTokenSource? timeoutSource, TimeSpan timeout)
    {
        var attempt = new ProxyAttempt(_next, context, proxy, callerAborted, timeoutSource);
        var outcome = await cluster.ExecuteAsync(ProxyAttempt.RunAsync, attempt, context.RequestAborted);

        if (attempt.Attempts > 1)
        {
            Log.Retried(_logger, proxy.Route.Config.RouteId, cluster.ClusterId, attempt.Attempts - 1);
        }

        if (attempt.TimedOut)
        {
            context.RequestAborted = callerAborted;
            Log.TimedOut(_logger, proxy.Route.Config.RouteId, cluster.ClusterId, timeout.TotalMilliseconds);
            ReportTimeout(context, proxy, timeout);
            return;
        }

        switch (outcome.Exception)
        {
            case null:
                return;
            case BrokenCircuitException broken:
                await RejectAsync(context, ResilienceRejections.CircuitOpen(cluster.ClusterId, broken.RetryAfter));
                return;
            case OperationCanceledException when callerAborted.IsCancellationRequested:
                return;
            default:
                ExceptionDispatchInfo.Throw(outcome.Exception);
                return;
        }
    }

    /// <summary>Reported like YARP's own timeouts, and explained for a passthrough caller; the response must not be written under the expired token.</summary>
    private static void ReportTimeout(HttpContext context, IReverseProxyFeature proxy, TimeSpan timeout)
    {
        context.Features.Set<IForwarderErrorFeature>(new GatewayForwarderError(ForwarderError.RequestTimedOut, new TimeoutException($"The route timeout of {timeout} expired."))
        {
            Explanation = ResilienceRejections.Timeout(proxy.Route.Config.RouteId, proxy.Cluster.Config.ClusterId, timeout),
        });
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }

    /// <summary>The rejection replaces whatever the failed attempt left on the exchange.</summary>
    private static ValueTask RejectAsync(HttpContext context, GatewayRejection rejection)
    {
        context.Response.Headers.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        return Rejections.RejectAsync(context, rejection);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Cluster {ClusterId} is at its concurrency limit of {Limit}; call refused")]
        public static partial void Busy(ILogger logger, string clusterId, int limit);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Route {RouteId} on cluster {ClusterId} retried {Retries} time(s) after connection failures")]
        public static partial void Retried(ILogger logger, string routeId, string clusterId, int retries);

        [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Route {RouteId} on cluster {ClusterId} timed out after {TimeoutMs} ms")]
        public static partial void TimedOut(ILogger logger, string routeId, string clusterId, double timeoutMs);
    }
}
