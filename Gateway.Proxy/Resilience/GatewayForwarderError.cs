using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Resilience;

/// <summary>Reports a failure the gateway decided (e.g. its own route timeout) the way YARP reports its own.</summary>
public sealed class GatewayForwarderError : IForwarderErrorFeature
{
    public GatewayForwarderError(ForwarderError error, Exception? exception)
    {
        Error = error;
        Exception = exception;
    }

    public ForwarderError Error { get; }

    public Exception? Exception { get; }

    /// <summary>
    /// The error a passthrough caller gets for this failure instead of an empty 5xx; a tool call's result is mapped
    /// from <see cref="Error"/> like YARP's own failures.
    /// </summary>
    public GatewayRejection? Explanation { get; init; }
}
