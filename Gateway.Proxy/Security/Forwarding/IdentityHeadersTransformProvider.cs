using Gateway.Transforms.Mapping;
using Gateway.Transforms.Transforms;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Security.Forwarding;

/// <summary>
/// Applies <see cref="VerifiedIdentityHeaders"/> on every route: the client's credentials and identity headers never
/// reach a backend; the verified identity and a request id do.
/// </summary>
public sealed class IdentityHeadersTransformProvider : ITransformProvider
{
    private readonly VerifiedIdentityHeaders _identity;

    public IdentityHeadersTransformProvider(VerifiedIdentityHeaders identity) => _identity = identity;

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
                if (ArgumentBinding.TryParse(entry, out var binding) && RestRequestTemplate.ValidateHeaderName(binding.Target) is null && _identity.IsStripped(binding.Target))
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
        _identity.Strip(context.ProxyRequest.Headers, context.HttpContext.Request.Headers);
        _identity.Add(context.ProxyRequest.Headers, context.HttpContext);
        return ValueTask.CompletedTask;
    }
}
