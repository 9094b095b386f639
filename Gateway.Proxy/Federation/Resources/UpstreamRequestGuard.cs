using System.Diagnostics;
using System.Text.Json;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Tools;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Schema;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// Decides on and sends an upstream's resource, prompt and completion requests with the upstream's own guards, from
/// the implementations its tool calls use: the route's <c>AuthorizationPolicy</c> (<see cref="IToolVisibility"/>) and
/// the call pipeline's steps on the upstream's route (access-rule <c>Metadata</c>, <c>RateLimiterPolicy</c>…), the
/// upstream's <c>Resources</c>/<c>Prompts</c> lists, and <see cref="UpstreamResilience"/> (the cluster's concurrency
/// limit, the route timeout, retries and circuit breaker), then one observation for audit and metrics. The request stands in the pipeline as a tool named
/// <see cref="UpstreamRequest.Target"/> with an open input schema. What the caller may not use is answered exactly
/// like what does not exist.
/// </summary>
public sealed class UpstreamRequestGuard
{
    private static readonly TimeSpan s_routeWait = TimeSpan.FromSeconds(2);
    private static readonly ToolSchema s_anyObject = ToolSchema.Compile(JsonDocument.Parse("""{"type":"object"}""").RootElement.Clone(), out _);

    private readonly UpstreamDefinitions _definitions;
    private readonly UpstreamRegistry _upstreams;
    private readonly RouteEndpointIndex _endpoints;
    private readonly IToolVisibility _visibility;
    private readonly CallPipeline _pipeline;
    private readonly UpstreamResilience _resilience;
    private readonly ResultSizeLimits _resultSizes;

    private readonly UpstreamSessionSelector _sessions;

    public UpstreamRequestGuard(
        UpstreamDefinitions definitions, UpstreamRegistry upstreams, RouteEndpointIndex endpoints, IToolVisibility visibility,
        CallPipeline pipeline, UpstreamResilience resilience, ResultSizeLimits resultSizes, UpstreamSessionSelector sessions)
    {
        _sessions = sessions;
        _definitions = definitions;
        _upstreams = upstreams;
        _endpoints = endpoints;
        _visibility = visibility;
        _pipeline = pipeline;
        _resilience = resilience;
        _resultSizes = resultSizes;
    }

    /// <summary>Whether the caller may use the upstream's resources and prompts at all (for the lists).</summary>
    public async ValueTask<bool> MayListAsync(HttpContext caller, string server) =>
        Find(server) is { } upstream && await _visibility.IsVisibleAsync(caller.User, TargetOf(upstream, GatewayResourceUri.RootOf(server), server));

    /// <exception cref="McpProtocolException">Refused, unknown, or the upstream failed; the message says which and what to do.</exception>
    public async Task<T> SendAsync<T>(
        HttpContext caller, UpstreamRequest request, Func<UpstreamSession, UpstreamCall, CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        if (Find(request.Server) is not { } upstream || !_upstreams.TryGetSession(request.Server, out var session))
        {
            throw Unknown(request);
        }

        var endpoint = await _endpoints.GetAsync(upstream.Route.RouteId, s_routeWait, cancellationToken);
        if (endpoint?.Metadata.GetMetadata<RouteModel>() is not { } route)
        {
            throw Unknown(request);
        }

        var target = TargetOf(upstream, request.Target, request.UpstreamName);
        var call = GatewayCall.ForUpstreamRequest(target, request.Arguments, request.Method);
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        string? errorCode = GatewayErrorCodes.BackendError;
        try
        {
            // Left out by the upstream's Resources/Prompts lists, or hidden from this caller: both are answered as unknown.
            if (!Admits(upstream, request) || !await _visibility.IsVisibleAsync(caller.User, target))
            {
                var hidden = GatewayRejection.ToolNotFound(request.Target);
                call.Reject(hidden);
                (status, errorCode) = (hidden.StatusCode, hidden.Code);
                throw Unknown(request);
            }

            if (await _pipeline.DecideAsync(caller, route, call) is { } refused)
            {
                (status, errorCode) = (refused.StatusCode, refused.Code);
                throw refused.Code == GatewayErrorCodes.ToolNotFound ? Unknown(request) : Refusal(refused);
            }

            if ((route.Cluster?.Model.Config ?? session.StandInCluster) is not { } cluster)
            {
                var unloaded = UpstreamRequestFailure.Of(StatusCodes.Status502BadGateway, GatewayErrorCodes.BackendUnavailable,
                    $"{request.Subject} could not reach upstream MCP server '{request.Server}' (cluster '{upstream.ClusterId}' is not loaded). Retry later.");
                (status, errorCode) = (unloaded.Status, unloaded.Code);
                throw unloaded.Exception;
            }

            try
            {
                session = _sessions.For(session, caller);
            }
            catch (UpstreamUnavailableException ex)
            {
                var unavailable = UpstreamRequestFailure.Of(StatusCodes.Status503ServiceUnavailable, GatewayErrorCodes.BackendUnavailable,
                    $"{request.Subject} could not reach upstream MCP server '{request.Server}' ({ex.Message}).");
                (status, errorCode) = (unavailable.Status, unavailable.Code);
                throw unavailable.Exception;
            }

            // The cluster's concurrency limit, the route timeout, retries and the circuit breaker, as for the upstream's tool calls.
            var attempt = new UpstreamRequestAttempt<T>(session, caller, request, send, _resultSizes.LimitFor(route.Config), Where(session, upstream));
            var run = await _resilience.RunAsync(request.Server, cluster, route, attempt, cancellationToken);
            if (run.Refusal is { } refusal)
            {
                call.Reject(refusal);
                (status, errorCode) = (refusal.StatusCode, refusal.Code);
                throw Refusal(refusal);
            }

            if ((run.TimedOut ? UpstreamRequestAttempt<T>.TimedOut(request) : attempt.Failure) is { } failure)
            {
                (status, errorCode) = (failure.Status, failure.Code);
                throw failure.Exception;
            }

            (status, errorCode) = (StatusCodes.Status200OK, null);
            return attempt.Result!;
        }
        finally
        {
            _pipeline.Observe(new GatewayCallRecord(caller, route, call, status, errorCode, Stopwatch.GetElapsedTime(started)) { Rejection = call.Rejection });
        }
    }

    /// <summary>
    /// The URI to ask the upstream for: for an upstream with <c>Resources</c> lists its canonical form, so that what is
    /// checked against the lists is exactly what is sent; otherwise the URI as the client wrote it.
    /// </summary>
    public string UpstreamUriFor(string server, string upstreamUri) =>
        Find(server) is { ResourceFilter.IsEmpty: false } && CanonicalResourceUri.TryCanonicalize(upstreamUri, template: false, out var canonical, out _)
            ? canonical
            : upstreamUri;

    /// <summary>Whether the upstream's <c>Resources</c> lists (as configured now) let the URI through.</summary>
    public bool Federates(string server, string upstreamUri) => Find(server)?.ResourceFilter.AllowsUri(upstreamUri) == true;

    private static bool Admits(UpstreamDefinition upstream, UpstreamRequest request) => request.Kind switch
    {
        UpstreamPrimitiveKind.Prompt => upstream.PromptFilter.Allows(request.UpstreamName),
        // A ref/resource may name a template or a plain URI: a plain one must pass as a URI as well.
        UpstreamPrimitiveKind.ResourceTemplate => upstream.ResourceFilter.AllowsTemplate(request.UpstreamName)
            && (request.UpstreamName.Contains('{', StringComparison.Ordinal) || upstream.ResourceFilter.AllowsUri(request.UpstreamName)),
        _ => upstream.ResourceFilter.AllowsUri(request.UpstreamName, out var sent) && string.Equals(sent, request.UpstreamName, StringComparison.Ordinal),
    };

    private UpstreamDefinition? Find(string server)
    {
        foreach (var upstream in _definitions.Current)
        {
            if (string.Equals(upstream.Server, server, StringComparison.Ordinal))
            {
                return upstream;
            }
        }

        return null;
    }

    private static ToolDefinition TargetOf(UpstreamDefinition upstream, string name, string upstreamName) =>
        new(name, upstream.Route.RouteId, upstream.ClusterId, s_anyObject, null, new Tool { Name = name, InputSchema = s_anyObject.Source })
        {
            AuthorizationPolicy = upstream.Route.AuthorizationPolicy,
            Upstream = new UpstreamToolTarget(upstream.Server, upstreamName),
        };

    private static string Where(UpstreamSession session, UpstreamDefinition upstream) =>
        session.RunsProcess ? string.Empty : $"; operators can check /status/servers/{upstream.ClusterId}";

    private static McpProtocolException Unknown(UpstreamRequest request) =>
        new($"Unknown {request.Subject}. Call {(request.Method.StartsWith("prompts/", StringComparison.Ordinal) ? "prompts/list" : "resources/list or resources/templates/list")} to see what is available to you.",
            McpErrorCode.InvalidParams);

    private static McpProtocolException Refusal(GatewayRejection rejection)
    {
        var exception = new McpProtocolException($"{rejection.Code}: {rejection.Message}", (McpErrorCode)Mcp.JsonRpcErrors.ServerError);
        exception.Data["code"] = rejection.Code;
        if (rejection.Data is not null)
        {
            foreach (var (key, value) in rejection.Data)
            {
                exception.Data[key] = value;
            }
        }

        return exception;
    }
}
