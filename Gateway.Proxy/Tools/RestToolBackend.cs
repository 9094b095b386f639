using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Transforms;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Tools;

/// <summary>
/// Forwards an admitted REST tool call through its route's YARP pipeline (resilience, session affinity, load balancing,
/// health, HTTP client, transforms) on an HTTP exchange of its own, and maps the backend's answer to an MCP result.
/// </summary>
public sealed class RestToolBackend : IToolBackend
{
    // Sized for what an exchange ends up holding (the features the host, YARP and the gateway set; a typical backend's
    // response headers), so none of them is copied into a bigger table during a call.
    private const int FeatureCapacity = 16;
    private const int RequestHeaderCapacity = 2;
    private const int ResponseHeaderCapacity = 8;

    private readonly ResultSizeLimits _resultSizes;

    public RestToolBackend(ResultSizeLimits resultSizes) => _resultSizes = resultSizes;

    public async Task<ToolBackendResult> SendAsync(ToolBackendCall call)
    {
        var exchange = CreateExchange(call.Caller, call.Tool, call.Call, call.CancellationToken);
        exchange.SetEndpoint(call.Endpoint);
        using var responseBody = _resultSizes.Attach(exchange, call.Endpoint);
        await call.Endpoint.RequestDelegate!(exchange);
        var status = exchange.Response.StatusCode;
        var error = exchange.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        var response = new BackendResponse(status, exchange.Response.ContentType, responseBody.Written, error);
        var result = ToolResultMapper.Map(call.Tool, response, out var errorCode);
        return new ToolBackendResult(result, errorCode, status);
    }

    /// <summary>
    /// The HTTP exchange that carries an admitted call to its backend through YARP: the bound request as its request
    /// (nothing of the caller's own request but its identity, request id, connection and cancellation); its response
    /// body, capped at the tool's result size, is attached by <see cref="ResultSizeLimits"/>.
    /// </summary>
    private static DefaultHttpContext CreateExchange(HttpContext inbound, ToolDefinition tool, GatewayCall call, CancellationToken cancellationToken)
    {
        IHeaderDictionary headers = new HeaderDictionary(RequestHeaderCapacity);
        if (call.BoundRequest?.Body is { } body)
        {
            // YARP decides from these whether the backend request has a body; McpToolRequestTransform supplies it.
            headers.ContentLength = body.Length;
            headers.ContentType = McpToolRequestTransform.JsonContentType;
        }

        var features = new FeatureCollection(FeatureCapacity);
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = inbound.Request.Scheme,
            Method = HttpMethods.Post,
            PathBase = inbound.Request.PathBase,
            Path = tool.RoutePath,
            Headers = headers,
            Body = Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature { Headers = new HeaderDictionary(ResponseHeaderCapacity) });
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
