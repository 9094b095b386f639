namespace Gateway.Proxy.Resilience;

/// <summary>How one forwarding attempt ended, as far as breaker and retry decisions are concerned.</summary>
public enum AttemptKind
{
    /// <summary>The backend answered (any status below 500), or the gateway itself rejected the call.</summary>
    Completed,

    /// <summary>No response: the connection was refused, reset or failed before response headers arrived.</summary>
    ConnectionFailure,

    /// <summary>The route timeout or the cluster's ActivityTimeout expired.</summary>
    Timeout,

    /// <summary>The backend answered 5xx, or the response broke off.</summary>
    BackendFailure,

    /// <summary>The caller went away; says nothing about the backend.</summary>
    Canceled,

    /// <summary>No destination was available, so nothing was sent.</summary>
    NotSent,

    /// <summary>
    /// The gateway could not build the request (YARP's <c>RequestCreation</c>): nothing reached the backend, so this
    /// says nothing about its health. Never counts against the breaker and is never retried.
    /// </summary>
    RequestNotBuilt,
}
