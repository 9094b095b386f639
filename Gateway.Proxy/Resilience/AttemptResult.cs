namespace Gateway.Proxy.Resilience;

/// <summary>The outcome of one attempt, carrying whether repeating it would be safe.</summary>
public readonly record struct AttemptResult(AttemptKind Kind, bool RetrySafe)
{
    /// <summary>Counts against the circuit breaker.</summary>
    public bool IsBackendFailure => Kind is AttemptKind.ConnectionFailure or AttemptKind.Timeout or AttemptKind.BackendFailure;

    /// <summary>Only failures where the request provably did not complete, and only for calls that may be repeated.</summary>
    public bool IsRetryable => RetrySafe && Kind == AttemptKind.ConnectionFailure;
}
