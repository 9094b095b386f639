using System.Runtime.ExceptionServices;
using Gateway.Proxy.Federation.Relay;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Tools;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Pipeline;
using Polly;
using Polly.CircuitBreaker;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Sends an admitted federated tool call to its upstream MCP server (<c>tools/call</c> on the gateway's session with it)
/// with the protections a REST tool call gets from its route's YARP pipeline: the cluster's concurrency limit, the
/// route timeout (one deadline for all attempts), and the cluster's retry budget and circuit breaker
/// (<see cref="ClusterResilienceRegistry"/>, shared with the cluster's REST routes); the answer is read under the tool's
/// result-size cap. The upstream's result is relayed as it came: every content block, structuredContent, _meta and
/// isError. Refusals on the way (BackendBusy, an open circuit, ResultTooLarge) are left on the call like REST's;
/// failures to reach the upstream become <c>isError</c> results naming the tool and the server.
/// </summary>
public sealed partial class FederatedToolBackend : IToolBackend
{
    private readonly UpstreamRegistry _upstreams;
    private readonly RouteTimeouts _timeouts;
    private readonly ClusterResilienceRegistry _clusters;
    private readonly ResultSizeLimits _resultSizes;
    private readonly ClientBoundSessions _clientBound;
    private readonly PrincipalSessions _principals;
    private readonly ILogger<FederatedToolBackend> _logger;

    public FederatedToolBackend(
        UpstreamRegistry upstreams, RouteTimeouts timeouts, ClusterResilienceRegistry clusters, ResultSizeLimits resultSizes,
        ClientBoundSessions clientBound, PrincipalSessions principals, ILogger<FederatedToolBackend> logger)
    {
        _upstreams = upstreams;
        _clientBound = clientBound;
        _principals = principals;
        _timeouts = timeouts;
        _clusters = clusters;
        _resultSizes = resultSizes;
        _logger = logger;
    }

    public async Task<ToolBackendResult> SendAsync(ToolBackendCall call)
    {
        var target = call.Tool.Upstream ?? throw new InvalidOperationException($"Tool '{call.Tool.Name}' is not a federated tool.");
        if (!_upstreams.TryGetSession(target.Server, out var session))
        {
            return FederatedAttempt.Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status502BadGateway,
                $"upstream MCP server '{target.Server}' of tool '{call.Tool.Name}' is not configured any more. Call tools/list for the current tools.");
        }

        if ((call.Route.Cluster?.Model.Config ?? session.StandInCluster) is not { } clusterConfig)
        {
            return FederatedAttempt.Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status502BadGateway,
                $"tool '{call.Tool.Name}' could not reach upstream MCP server '{target.Server}' (cluster '{call.Tool.ClusterId}' is not loaded). Retry later.");
        }

        try
        {
            session = SessionFor(session, call.Caller);
        }
        catch (UpstreamUnavailableException ex)
        {
            return FederatedAttempt.Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status503ServiceUnavailable,
                $"tool '{call.Tool.Name}' could not reach upstream MCP server '{target.Server}' ({ex.Message}).");
        }

        var cluster = _clusters.For(clusterConfig);
        if (!cluster.Gate.TryEnter())
        {
            Log.Busy(_logger, target.Server, cluster.ClusterId, cluster.Gate.Limit);
            return Refused(call, ResilienceRejections.Busy(cluster.ClusterId, cluster.Gate.Limit));
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
            if (_timeouts.For(call.Route) is { } limit)
            {
                deadline.CancelAfter(limit);
            }

            return await RunAsync(call, cluster, new FederatedAttempt(session, call, target, _resultSizes.LimitFor(call.Route.Config), deadline));
        }
        finally
        {
            cluster.Gate.Exit();
        }
    }

    private async Task<ToolBackendResult> RunAsync(ToolBackendCall call, ClusterResilience cluster, FederatedAttempt attempt)
    {
        var outcome = await cluster.ExecuteAsync(FederatedAttempt.RunAsync, attempt, call.CancellationToken);

        if (attempt.Attempts > 1)
        {
            Log.Retried(_logger, call.Tool.Upstream!.Server, cluster.ClusterId, attempt.Attempts - 1);
        }

        switch (outcome.Exception)
        {
            case null:
                return attempt.Result;
            case BrokenCircuitException broken:
                return Refused(call, ResilienceRejections.CircuitOpen(cluster.ClusterId, broken.RetryAfter));
            case OperationCanceledException when attempt.TimedOut:
                // The deadline expired between attempts (during a retry's backoff).
                return attempt.TimeoutResult();
            default:
                ExceptionDispatchInfo.Throw(outcome.Exception);
                return default;
        }
    }

    /// <summary>
    /// The session a call goes on: its own client-bound one when the upstream may ask this caller for sampling,
    /// elicitation or roots (never shared with another caller); else the principal's where the upstream is scoped by
    /// principal; else the upstream's shared one.
    /// </summary>
    private UpstreamSession SessionFor(UpstreamSession shared, HttpContext caller)
    {
        if (shared.RunsProcess)
        {
            return shared;
        }

        if (DownstreamRequest.Of(caller) is { CanServeUpstreamRequests: true } downstream)
        {
            return _clientBound.For(shared, downstream);
        }

        return shared.Upstream.Declaration.SessionScope == UpstreamSessionScope.Principal ? _principals.For(shared, caller) : shared;
    }

    private static ToolBackendResult Refused(ToolBackendCall call, GatewayRejection rejection)
    {
        call.Call.Reject(rejection);
        return FederatedAttempt.Failure(rejection.Code, rejection.StatusCode, rejection.Message);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Upstream '{Server}': cluster {ClusterId} is at its concurrency limit of {Limit}; federated call refused")]
        public static partial void Busy(ILogger logger, string server, string clusterId, int limit);

        [LoggerMessage(EventId = 3404, Level = LogLevel.Information, Message = "Upstream '{Server}': federated call on cluster {ClusterId} retried {Retries} time(s) after connection failures")]
        public static partial void Retried(ILogger logger, string server, string clusterId, int retries);
    }
}
