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

    public CappedResponseBody Attach(HttpContext callContext, Endpoint endpoint)
    {
        var limit = ResultSizeMetadata.For(endpoint.Metadata.GetMetadata<RouteModel>()?.Config, _options.CurrentValue.MaxResultBytes);
        var body = new CappedResponseBody(callContext, limit);
        callContext.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        callContext.Features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = body.Aborted });
        return body;
    }
}
