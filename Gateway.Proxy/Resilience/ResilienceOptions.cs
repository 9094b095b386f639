namespace Gateway.Proxy.Resilience;

/// <summary>Backend failure handling and shutdown (section <c>Gateway:Resilience</c>).</summary>
public sealed class ResilienceOptions
{
    public const string SectionName = "Gateway:Resilience";

    /// <summary>Total time a tool call may take when its route sets no <c>Timeout</c>; null = no limit beyond the cluster's ActivityTimeout.</summary>
    public TimeSpan? DefaultToolTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cluster <c>HttpRequest.ActivityTimeout</c> for clusters that do not set one (YARP's own default is 100 s).</summary>
    public TimeSpan DefaultActivityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cluster <c>HttpClient.MaxConnectionsPerServer</c> for clusters that do not set one.</summary>
    public int DefaultMaxConnectionsPerServer { get; set; } = 100;

    /// <summary>Calls in flight per cluster before new ones are refused with BackendBusy; a cluster's metadata <c>Gateway.MaxConcurrentRequests</c> overrides it.</summary>
    public int MaxConcurrentRequestsPerCluster { get; set; } = 100;

    public UnavailableToolMode UnavailableTools { get; set; } = UnavailableToolMode.Flag;

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    public RetryOptions Retry { get; set; } = new();

    /// <summary>How long in-flight requests may take to finish after SIGTERM before they are aborted.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// After SIGTERM, /ready reports draining for this long while the gateway still accepts requests, so the ingress
    /// stops routing here before the listener closes.
    /// </summary>
    public TimeSpan PreStopDelay { get; set; } = TimeSpan.Zero;
}
