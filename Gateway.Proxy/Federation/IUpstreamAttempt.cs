using Gateway.Proxy.Resilience;

namespace Gateway.Proxy.Federation;

/// <summary>One try at an upstream request, classified like a forwarded REST attempt for the breaker and retries.</summary>
public interface IUpstreamAttempt
{
    /// <summary>Whether the request may be sent again after a connection failure (it provably did not complete).</summary>
    bool RetrySafe { get; }

    /// <summary>Sends the request once; keeps what came back (or the failure) and says how the attempt ended. Does not throw for upstream failures.</summary>
    Task<AttemptKind> RunAsync(UpstreamDeadline deadline);
}
