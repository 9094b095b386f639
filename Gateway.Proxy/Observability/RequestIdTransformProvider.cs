using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Observability;

/// <summary>Sends the gateway's request id to every backend, replacing whatever the client sent.</summary>
public sealed class RequestIdTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) =>
        context.AddRequestTransform(static transform =>
        {
            transform.ProxyRequest.Headers.Remove(RequestIds.HeaderName);
            transform.ProxyRequest.Headers.TryAddWithoutValidation(RequestIds.HeaderName, transform.HttpContext.TraceIdentifier);
            return default;
        });
}
