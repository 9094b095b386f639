namespace Gateway.Proxy.Resilience;

/// <summary>The per-cluster circuit breaker (section <c>Gateway:Resilience:CircuitBreaker</c>).</summary>
public sealed class CircuitBreakerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within <see cref="SamplingDuration"/> before the ratio counts, so one early failure cannot open it.</summary>
    public int MinimumThroughput { get; set; } = 10;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls fast before letting one probe call through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
