using System.Diagnostics;
using System.Text.Json;
using Gateway.Proxy.Federation.Pinning;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.RateLimiting;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Tools;

/// <summary>
/// One tool call, top to bottom: find the tool the caller may see, decide on the call with the
/// <see cref="CallPipeline"/> on the tool's route (authorization, rate limit, limits, schema, validators, request
/// binding), send it to the tool's backend (<see cref="IToolBackend"/>: a REST route's YARP pipeline or an upstream MCP
/// server), and let audit and metrics observe the call once.
/// </summary>
public sealed class ToolCallDispatcher
{
    private static readonly TimeSpan s_routeWait = TimeSpan.FromSeconds(2);
    private static readonly JsonElement s_emptyArguments = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly ToolCatalogHolder _catalog;
    private readonly RouteEndpointIndex _endpoints;
    private readonly IToolVisibility _visibility;
    private readonly CallPipeline _pipeline;
    private readonly RefusalLimiter _refusals;
    private readonly ToolBackends _backends;
    private readonly ToolQuarantine _quarantine;

    public ToolCallDispatcher(
        ToolCatalogHolder catalog,
        RouteEndpointIndex endpoints,
        IToolVisibility visibility,
        CallPipeline pipeline,
        RefusalLimiter refusals,
        ToolBackends backends,
        ToolQuarantine quarantine)
    {
        _quarantine = quarantine;
        _backends = backends;
        _catalog = catalog;
        _endpoints = endpoints;
        _visibility = visibility;
        _pipeline = pipeline;
        _refusals = refusals;
    }

    public async Task<ToolCallOutcome> CallAsync(HttpContext inbound, string toolName, JsonElement arguments, CallEntryPoint entryPoint, CancellationToken cancellationToken)
    {
        // A tool the caller may not see is reported exactly like one that does not exist.
        if (!_catalog.Current.TryGet(toolName, out var tool))
        {
            return await RejectedBeforeRoutingAsync(inbound, toolName, await QuarantinedOrNotFoundAsync(inbound, toolName));
        }

        if (!await _visibility.IsVisibleAsync(inbound.User, tool))
        {
            return await RejectedBeforeRoutingAsync(inbound, toolName, GatewayRejection.ToolNotFound(toolName));
        }

        if (arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            arguments = s_emptyArguments;
        }
        else if (arguments.ValueKind != JsonValueKind.Object)
        {
            return await RejectedBeforeRoutingAsync(inbound, toolName, GatewayRejection.InvalidArguments(
                $"Arguments for tool '{CallerText.Echo(toolName)}' must be a JSON object, got {arguments.ValueKind.ToString().ToLowerInvariant()}."));
        }

        var endpoint = await _endpoints.GetAsync(tool.RouteId, s_routeWait, cancellationToken);
        if (endpoint?.RequestDelegate is null || endpoint.Metadata.GetMetadata<RouteModel>() is not { } route)
        {
            return await RejectedBeforeRoutingAsync(inbound, toolName, GatewayRejection.ToolNotFound(toolName));
        }

        var call = GatewayCall.ForTool(tool, arguments, entryPoint);
        var started = Stopwatch.GetTimestamp();
        ToolCallOutcome outcome = default;
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            if (await _pipeline.DecideAsync(inbound, route, call) is { } refused)
            {
                outcome = await RefusedAsync(inbound, refused);
                status = refused.StatusCode;
            }
            else
            {
                (outcome, status) = await ForwardAsync(inbound, tool, call, endpoint, route, cancellationToken);
            }
        }
        finally
        {
            // Observed once, also when the call ends in an exception (then as a failed call with status 500).
            _pipeline.Observe(new GatewayCallRecord(inbound, route, call, status, outcome.ErrorCode, Stopwatch.GetElapsedTime(started)) { Rejection = call.Rejection });
        }

        return outcome with { ResponseHeaders = call.ResponseHeaders };
    }

    /// <summary>
    /// Refuses a call that names a tool of a server that has no such tool (the REST facade's <c>{"server", "tool"}</c>),
    /// observed (audit, metrics, log line) and charged to the caller's refusal budget like any unknown tool.
    /// </summary>
    public ValueTask<ToolCallOutcome> RefuseUnknownToolAsync(HttpContext inbound, string server, string toolName) =>
        RejectedBeforeRoutingAsync(inbound, toolName, GatewayRejection.ToolNotFound(server, toolName));

    /// <summary>
    /// A held federated tool (tool-definition pinning) is refused saying so, with its security flag, to callers who
    /// could see it; to anyone else it does not exist.
    /// </summary>
    private async ValueTask<GatewayRejection> QuarantinedOrNotFoundAsync(HttpContext inbound, string toolName) =>
        _quarantine.TryGet(toolName, out var held) && await _visibility.IsVisibleAsync(inbound.User, held.Tool)
            ? held.Rejection
            : GatewayRejection.ToolNotFound(toolName);

    /// <summary>Sends an admitted call to the tool's backend (REST or upstream MCP server).</summary>
    private async Task<(ToolCallOutcome Outcome, int Status)> ForwardAsync(
        HttpContext inbound, ToolDefinition tool, GatewayCall call, Endpoint endpoint, RouteModel route, CancellationToken cancellationToken)
    {
        var sent = await _backends.For(tool).SendAsync(new ToolBackendCall(inbound, tool, call, endpoint, route, cancellationToken));
        if (call.Rejection is { } rejection)
        {
            return (await RefusedAsync(inbound, rejection), sent.StatusCode);
        }

        RefusalLimiter.MarkAccounted(inbound);
        return (new ToolCallOutcome(sent.Result, null, sent.ErrorCode), sent.StatusCode);
    }

    private async ValueTask<ToolCallOutcome> RefusedAsync(HttpContext inbound, GatewayRejection rejection)
    {
        // Already audited with its reason; the charge only makes a flood of such calls meet the door sooner.
        if (RefusalLimiter.IsUnchargedPipelineRejection(rejection))
        {
            await _refusals.ChargeAsync(inbound);
        }
        else
        {
            RefusalLimiter.MarkAccounted(inbound);
        }

        return ToolCallOutcome.Rejected(rejection);
    }

    /// <summary>
    /// Refusals that never reach a route still count: against the caller's refusal budget (over it, the answer is a
    /// rate-limit error instead), and for observers (audit, metrics).
    /// </summary>
    private async ValueTask<ToolCallOutcome> RejectedBeforeRoutingAsync(HttpContext inbound, string toolName, GatewayRejection rejection)
    {
        rejection = await _refusals.ChargeAsync(inbound) ?? rejection;
        _pipeline.Observe(new GatewayCallRecord(inbound, null, null, rejection.StatusCode, rejection.Code, TimeSpan.Zero)
        {
            RequestedTool = toolName,
            Rejection = rejection,
        });
        return ToolCallOutcome.Rejected(rejection);
    }
}
