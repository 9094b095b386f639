using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// A legacy SSE message is answered on the stream after its POST has completed, so the call cannot run on the POST's
/// (recycled) HttpContext, nor on the stream's (the opener's credentials). This builds a small context that carries
/// what the call pipeline reads of its caller, copied from the POST: the principal, the request id and the client
/// connection; and, from the stream, the services and the lifetime the reply depends on.
/// </summary>
internal static class DetachedCallerContext
{
    public static HttpContext Create(HttpContext message, HttpContext stream)
    {
        var request = message.Request;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = request.Protocol,
            Scheme = request.Scheme,
            Method = request.Method,
            PathBase = request.PathBase,
            Path = request.Path,
            Headers = new HeaderDictionary(),
            Body = Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = stream.RequestAborted });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = message.TraceIdentifier });
        var connection = message.Connection;
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = connection.Id,
            RemoteIpAddress = connection.RemoteIpAddress,
            RemotePort = connection.RemotePort,
            LocalIpAddress = connection.LocalIpAddress,
            LocalPort = connection.LocalPort,
        });

        return new DefaultHttpContext(features)
        {
            User = message.User,
            RequestServices = stream.RequestServices,
        };
    }
}
