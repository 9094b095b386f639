using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Transforms;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Security.Forwarding;

/// <summary>
/// No token passthrough (MCP authorization spec): on every route, the client's credentials (Authorization,
/// Proxy-Authorization, Cookie, the API-key header) are removed before the request leaves, and so are any identity
/// headers the client sent. The backend gets the verified identity instead: subject, tenant and tier, plus a request id.
/// Names are compared the way backends fold them (any case, '-' and '_' alike), so <c>X_Gateway_Subject</c> is stripped
/// like <c>X-Gateway-Subject</c>, and the whole <c>X-Gateway-</c> namespace belongs to the gateway.
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

    /// <summary>A tool route may not bind an argument to a header this transform strips or sets, in any folded spelling.</summary>
    public void ValidateRoute(TransformRouteValidationContext context)
    {
        foreach (var transform in context.Route.Transforms ?? [])
        {
            if (!transform.ContainsKey(McpToolRequestTransformFactory.RequestKey)
                || !transform.TryGetValue(McpToolRequestTransformFactory.HeadersKey, out var headers))
            {
                continue;
            }

            foreach (var entry in headers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // Names the template itself refuses (X-Gateway-*, X-API-Key...) are reported there once.
                if (ArgumentBinding.TryParse(entry, out var binding) && RestRequestTemplate.ValidateHeaderName(binding.Target) is null && IsStripped(binding.Target))
                {
                    context.Errors.Add(new ArgumentException(
                        $"Route '{context.Route.RouteId}': Headers entry '{binding.Target}' names a credential or identity header the gateway strips " +
                        "(Gateway:Auth:IdentityHeaders, the API-key header, IdentityHeaders:Strip, X-Gateway-*; '-' and '_' and letter case count as the same); " +
                        "tool arguments can't set it"));
                }
            }
        }
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

        // YARP copied the client's headers under their own spelling; remove every one a backend would fold into a
        // stripped name or the gateway's namespace.
        foreach (var client in context.HttpContext.Request.Headers)
        {
            if (IsStripped(client.Key))
            {
                headers.Remove(client.Key);
            }
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

    private bool IsStripped(string name)
    {
        if (HeaderFieldName.IsGatewayNamespace(name))
        {
            return true;
        }

        foreach (var stripped in _stripped)
        {
            if (HeaderFieldName.FoldedEquals(name, stripped))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(System.Net.Http.Headers.HttpRequestHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.TryAddWithoutValidation(name, HeaderValue.Encode(value));
        }
    }
}
