using Gateway.Proxy.Mcp;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Tools.ResultSize;

/// <summary>Gives a tool call its response body, capped at the route's <c>Gateway.MaxResultBytes</c> or <c>Gateway:Mcp:MaxResultBytes</c>.</summary>
public sealed class ResultSizeLimits
{
    private readonly IOptionsMonitor<McpOptions> _options;

    public ResultSizeLimits(IOptionsMonitor<McpOptions> options) => _options = options;

    /// <summary>The cap of a tool on <paramref name="route"/>: its metadata if set, else the configured default.</summary>
    public long LimitFor(Yarp.ReverseProxy.Configuration.RouteConfig? route) => ResultSizeMetadata.For(route, _options.CurrentValue.MaxResultBytes);

    public CappedResponseBody Attach(HttpContext callContext, Endpoint endpoint)
    {
        var limit = LimitFor(endpoint.Metadata.GetMetadata<RouteModel>()?.Config);
        var body = new CappedResponseBody(callContext, limit);
        callContext.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        callContext.Features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = body.Aborted });
        return body;
    }
}
