using Gateway.Proxy.Federation.Relay;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Tools;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Sends an admitted federated tool call to its upstream MCP server (<c>tools/call</c> on the gateway's session with it)
/// through <see cref="UpstreamResilience"/>, the protections a REST tool call gets from its route's YARP pipeline
/// (the cluster's concurrency limit, the route timeout, the cluster's retry budget and circuit breaker); the answer is
/// read under the tool's result-size cap. The upstream's result is relayed as it came: every content block,
/// structuredContent, _meta and isError. Refusals on the way (BackendBusy, an open circuit, ResultTooLarge) are left on
/// the call like REST's; failures to reach the upstream become <c>isError</c> results naming the tool and the server.
/// </summary>
public sealed class FederatedToolBackend : IToolBackend
{
    private readonly UpstreamRegistry _upstreams;
    private readonly UpstreamResilience _resilience;
    private readonly ResultSizeLimits _resultSizes;
    private readonly UpstreamSessionSelector _sessions;

    public FederatedToolBackend(
        UpstreamRegistry upstreams, UpstreamResilience resilience, ResultSizeLimits resultSizes, UpstreamSessionSelector sessions)
    {
        _upstreams = upstreams;
        _resilience = resilience;
        _sessions = sessions;
        _resultSizes = resultSizes;
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
            session = _sessions.For(session, call.Caller);
        }
        catch (UpstreamUnavailableException ex)
        {
            return FederatedAttempt.Failure(GatewayErrorCodes.BackendUnavailable, StatusCodes.Status503ServiceUnavailable,
                $"tool '{call.Tool.Name}' could not reach upstream MCP server '{target.Server}' ({ex.Message}).");
        }

        var attempt = new FederatedAttempt(session, call, target, _resultSizes.LimitFor(call.Route.Config));
        var run = await _resilience.RunAsync(target.Server, clusterConfig, call.Route, attempt, call.CancellationToken);
        return run switch
        {
            { Completed: true } => attempt.Result,
            { Refusal: { } refusal } => Refused(call, refusal),
            _ => attempt.TimeoutResult(),
        };
    }

    private static ToolBackendResult Refused(ToolBackendCall call, GatewayRejection rejection)
    {
        call.Call.Reject(rejection);
        return FederatedAttempt.Failure(rejection.Code, rejection.StatusCode, rejection.Message);
    }
}
