using System.Diagnostics;
using System.Text.Json;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Transforms;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Tools;

/// <summary>
/// One tool call, top to bottom: find the tool the caller may see, decide on the call with the
/// <see cref="CallPipeline"/> (authorization, rate limit, limits, schema, request binding), forward the bound request
/// through the route's YARP pipeline (resilience, session affinity, load balancing, health, HTTP client, transforms),
/// map the backend's answer to an MCP result, and let audit and metrics observe the call once.
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
    private readonly ResultSizeLimits _resultSizes;

    public ToolCallDispatcher(
        ToolCatalogHolder catalog,
        RouteEndpointIndex endpoints,
        IToolVisibility visibility,
        CallPipeline pipeline,
        RefusalLimiter refusals,
        ResultSizeLimits resultSizes)
    {
        _resultSizes = resultSizes;
        _catalog = catalog;
        _endpoints = endpoints;
        _visibility = visibility;
        _pipeline = pipeline;
        _refusals = refusals;
    }

    public async Task<ToolCallOutcome> CallAsync(HttpContext inbound, string toolName, JsonElement arguments, CallEntryPoint entryPoint, CancellationToken cancellationToken)
    {
        // A tool the caller may not see is reported exactly like one that does not exist.
        if (!_catalog.Current.TryGet(toolName, out var tool) || !await _visibility.IsVisibleAsync(inbound.User, tool))
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
        ToolCallOutcome outcome;
        var status = StatusCodes.Status200OK;
        if (await _pipeline.DecideAsync(inbound, route, call) is { } refused)
        {
            outcome = await RefusedAsync(inbound, refused);
            status = refused.StatusCode;
        }
        else
        {
            var exchange = CreateExchange(inbound, tool, call, cancellationToken);
            exchange.SetEndpoint(endpoint);
            using var responseBody = _resultSizes.Attach(exchange, endpoint);
            await endpoint.RequestDelegate(exchange);
            status = exchange.Response.StatusCode;

            if (call.Rejection is { } rejection)
            {
                outcome = await RefusedAsync(inbound, rejection);
            }
            else
            {
                RefusalLimiter.MarkAccounted(inbound);
                var error = exchange.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
                var response = new BackendResponse(status, exchange.Response.ContentType, responseBody.Written, error);
                var result = ToolResultMapper.Map(tool, response, out var errorCode);
                outcome = new ToolCallOutcome(result, null, errorCode);
            }
        }

        _pipeline.Observe(new GatewayCallRecord(inbound, route, call, status, outcome.ErrorCode, Stopwatch.GetElapsedTime(started)) { Rejection = call.Rejection });
        return outcome with { ResponseHeaders = call.ResponseHeaders };
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

    /// <summary>
    /// The HTTP exchange that carries an admitted call to its backend through YARP: the bound request as its request
    /// (nothing of the caller's own request but its identity, request id, connection and cancellation); its response
    /// body, capped at the tool's result size, is attached by <see cref="ResultSizeLimits"/>.
    /// </summary>
    private static DefaultHttpContext CreateExchange(HttpContext inbound, ToolDefinition tool, GatewayCall call, CancellationToken cancellationToken)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (call.BoundRequest?.Body is { } body)
        {
            // YARP decides from these whether the backend request has a body; McpToolRequestTransform supplies it.
            headers.ContentLength = body.Length;
            headers.ContentType = McpToolRequestTransform.JsonContentType;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = inbound.Request.Scheme,
            Method = HttpMethods.Post,
            PathBase = inbound.Request.PathBase,
            Path = Gateway.Transforms.Configuration.RoutesDocumentParser.ToolRoutePathPrefix + tool.RouteId,
            Headers = headers,
            Body = Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = inbound.TraceIdentifier });
        if (inbound.Features.Get<IHttpConnectionFeature>() is { } connection)
        {
            features.Set(connection);
        }

        features.Set(call);
        return new DefaultHttpContext(features)
        {
            RequestServices = inbound.RequestServices,
            User = inbound.User,
        };
    }
}
