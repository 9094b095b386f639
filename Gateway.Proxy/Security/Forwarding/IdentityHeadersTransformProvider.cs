using Gateway.Proxy.Security.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Security.Forwarding;

/// <summary>
/// No token passthrough (MCP authorization spec): on every route, the client's credentials (Authorization,
/// Proxy-Authorization, Cookie, the API-key header) are removed before the request leaves, and so are any identity
/// headers the client sent. The backend gets the verified identity instead: subject, tenant and tier, plus a request id.
/// </summary>
public sealed class IdentityHeadersTransformProvider : ITransformProvider
{
    private readonly string[] _stripped;
    private readonly IdentityHeaderOptions _headers;
    private readonly CallerIdentityResolver _callers;

    public IdentityHeadersTransformProvider(IOptions<SecurityOptions> options, CallerIdentityResolver callers)
    {
        var security = options.Value;
        _headers = security.IdentityHeaders;
        _callers = callers;
        _stripped = new[]
            {
                HeaderNames.Authorization, HeaderNames.ProxyAuthorization, HeaderNames.Cookie, security.ApiKeys.HeaderName,
                _headers.Subject, _headers.Tenant, _headers.Tier,
            }
            .Concat(security.IdentityHeaders.Strip)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(TransformAsync);

    private ValueTask TransformAsync(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        foreach (var name in _stripped)
        {
            headers.Remove(name);
        }

        var caller = _callers.Resolve(context.HttpContext.User);
        if (caller.IsAuthenticated)
        {
            Add(headers, _headers.Subject, caller.Subject);
            Add(headers, _headers.Tenant, caller.Tenant);
            Add(headers, _headers.Tier, caller.Tier);
        }

        if (!headers.Contains(_headers.RequestId))
        {
            headers.TryAddWithoutValidation(_headers.RequestId, context.HttpContext.TraceIdentifier);
        }

        return ValueTask.CompletedTask;
    }

    private static void Add(System.Net.Http.Headers.HttpRequestHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.TryAddWithoutValidation(name, HeaderValue.Encode(value));
        }
    }
}
