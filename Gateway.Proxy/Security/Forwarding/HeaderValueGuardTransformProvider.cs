using System.Net.Http.Headers;
using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Security.Forwarding;

/// <summary>
/// The last look at the headers before a request leaves, on every route: a value with a control character (CR, LF,
/// NUL...) would add headers or requests on the wire, and a non-ASCII value makes HttpClient throw mid-send, which
/// would count as a connection failure against the cluster. Either is refused with 400 before anything is sent.
/// Non-ASCII passes when the cluster declares <c>HttpClient.RequestHeaderEncoding</c>.
/// </summary>
public sealed partial class HeaderValueGuardTransformProvider : ITransformProvider
{
    private readonly ILogger<HeaderValueGuardTransformProvider> _logger;

    public HeaderValueGuardTransformProvider(ILogger<HeaderValueGuardTransformProvider> logger) => _logger = logger;

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var allowNonAscii = !string.IsNullOrEmpty(context.Cluster?.HttpClient?.RequestHeaderEncoding);
        var routeId = context.Route.RouteId;
        context.AddRequestTransform(transform =>
        {
            if (transform.HttpContext.Response.StatusCode != StatusCodes.Status200OK || transform.HttpContext.Response.HasStarted)
            {
                return default;
            }

            var problem = Find(transform.ProxyRequest.Headers, allowNonAscii);
            if (problem is null && transform.ProxyRequest.Content is { } content)
            {
                problem = Find(content.Headers, allowNonAscii);
            }

            if (problem is not { } found)
            {
                return default;
            }

            Log.Refused(_logger, routeId, found.Name, found.Reason);
            return Rejections.RejectAsync(transform.HttpContext, new GatewayRejection(
                StatusCodes.Status400BadRequest, GatewayErrorCodes.InvalidArguments,
                $"Request header '{found.Name}' {found.Reason}; header values must be printable ASCII. Fix the header and send the request again.",
                RejectionKind.ProtocolError));
        });
    }

    private static (string Name, string Reason)? Find(HttpHeaders headers, bool allowNonAscii)
    {
        foreach (var header in headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                var span = value.AsSpan();
                var index = span.IndexOfAnyExceptInRange(' ', '~');
                for (; index >= 0 && index < span.Length; index++)
                {
                    var c = span[index];
                    if (c is '\t' or (>= ' ' and <= '~'))
                    {
                        continue;
                    }

                    if (c < ' ' || c == '\u007f')
                    {
                        return (header.Key, $"contains the control character U+{(int)c:X4}");
                    }

                    if (!allowNonAscii)
                    {
                        return (header.Key, $"contains the non-ASCII character U+{(int)c:X4}");
                    }
                }
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Route {RouteId}: request header {HeaderName} {Reason}; refused with 400 before sending")]
        public static partial void Refused(ILogger logger, string routeId, string headerName, string reason);
    }
}
