using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// Reads what YARP left on the HttpContext after forwarding and turns it into an <see cref="AttemptKind"/>. Only what
/// happened between the gateway and the backend (connection, timeout, 5xx, broken response) is a backend failure; a
/// rejection by the gateway or a request the gateway failed to build is not.
/// </summary>
public static class AttemptClassifier
{
    public static AttemptKind Classify(HttpContext context, bool timedOut, bool callerGone)
    {
        if (timedOut)
        {
            return AttemptKind.Timeout;
        }

        if (callerGone)
        {
            return AttemptKind.Canceled;
        }

        if (context.Features.Get<GatewayCall>()?.Rejection is not null)
        {
            return AttemptKind.Completed;
        }

        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        return error switch
        {
            ForwarderError.None => context.Response.StatusCode >= 500 ? AttemptKind.BackendFailure : AttemptKind.Completed,
            ForwarderError.Request => AttemptKind.ConnectionFailure,
            ForwarderError.RequestTimedOut => AttemptKind.Timeout,
            ForwarderError.NoAvailableDestinations => AttemptKind.NotSent,
            ForwarderError.RequestCreation => AttemptKind.RequestNotBuilt,
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient => AttemptKind.Canceled,
            _ => AttemptKind.BackendFailure,
        };
    }
}
