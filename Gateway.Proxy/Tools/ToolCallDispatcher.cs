using System.Text.Json;
using Gateway.Proxy.RateLimiting;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Tools;

/// <summary>
/// Runs a tool call through its route's YARP pipeline: the same gateway steps, load balancing, health state,
/// HTTP client and transforms as any REST request on that route. The call travels on its own HttpContext whose
/// response is captured in memory and mapped to an MCP result.
/// </summary>
public sealed class ToolCallDispatcher
{
    private static readonly TimeSpan s_routeWait = TimeSpan.FromSeconds(2);
    private static readonly JsonElement s_emptyArguments = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly ToolCatalogHolder _catalog;
    private readonly RouteEndpointIndex _endpoints;
    private readonly IToolVisibility _visibility;
    private readonly IGatewayCallObserver[] _observers;
    private readonly RefusalLimiter _refusals;

    public ToolCallDispatcher(
        ToolCatalogHolder catalog,
        RouteEndpointIndex endpoints,
        IToolVisibility visibility,
        IEnumerable<IGatewayCallObserver> observers,
        RefusalLimiter refusals)
    {
        _refusals = refusals;
        _catalog = catalog;
        _endpoints = endpoints;
        _visibility = visibility;
        _observers = observers.ToArray();
    }

    public async Task<ToolCallOutcome> CallAsync(HttpContext inbound, string toolName, JsonElement arguments, string entryPoint, CancellationToken cancellationToken)
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
        if (endpoint?.RequestDelegate is null)
        {
            return await RejectedBeforeRoutingAsync(inbound, toolName, GatewayRejection.ToolNotFound(toolName));
        }

        var toolCall = new ToolCallFeature(tool, arguments, entryPoint);
        var responseBody = new MemoryStream();
        var context = CreateCallContext(inbound, tool, toolCall, responseBody, cancellationToken);
        context.SetEndpoint(endpoint);

        await endpoint.RequestDelegate(context);
        CopyCallerResponseHeaders(toolCall, inbound);

        if (toolCall.Rejection is { } rejection)
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

        RefusalLimiter.MarkAccounted(inbound);

        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        var response = new BackendResponse(
            context.Response.StatusCode,
            context.Response.ContentType,
            responseBody.GetBuffer().AsMemory(0, (int)responseBody.Length),
            error);
        var result = ToolResultMapper.Map(tool, response, out var errorCode);
        return new ToolCallOutcome(result, null, errorCode);
    }

    /// <summary>
    /// Refusals that never reach a route still count: against the caller's refusal budget (over it, the answer is a
    /// rate-limit error instead), and for observers (audit, metrics).
    /// </summary>
    private async ValueTask<ToolCallOutcome> RejectedBeforeRoutingAsync(HttpContext inbound, string toolName, GatewayRejection rejection)
    {
        rejection = await _refusals.ChargeAsync(inbound) ?? rejection;
        var call = new GatewayCallFeature { Rejection = rejection };
        var record = new GatewayCallRecord(inbound, null, null, call, rejection.StatusCode, rejection.Code, TimeSpan.Zero) { RequestedTool = toolName };
        foreach (var observer in _observers)
        {
            observer.OnCallCompleted(record);
        }

        return ToolCallOutcome.Rejected(rejection);
    }

    private static void CopyCallerResponseHeaders(ToolCallFeature toolCall, HttpContext inbound)
    {
        if (toolCall.CallerResponseHeaders is not { } headers || inbound.Response.HasStarted)
        {
            return;
        }

        foreach (var (name, value) in headers)
        {
            inbound.Response.Headers[name] = value;
        }
    }

    private static DefaultHttpContext CreateCallContext(HttpContext inbound, ToolDefinition tool, ToolCallFeature toolCall, Stream responseBody, CancellationToken cancellationToken)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = inbound.Request.Scheme,
            Method = HttpMethods.Post,
            PathBase = inbound.Request.PathBase,
            Path = Gateway.Transforms.Configuration.RoutesDocumentParser.ToolRoutePathPrefix + tool.RouteId,
            Headers = new HeaderDictionary(),
            Body = Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = inbound.TraceIdentifier });
        if (inbound.Features.Get<IHttpConnectionFeature>() is { } connection)
        {
            features.Set(connection);
        }

        features.Set(toolCall);
        return new DefaultHttpContext(features)
        {
            RequestServices = inbound.RequestServices,
            User = inbound.User,
        };
    }
}
