namespace Gateway.Proxy.Resilience;

/// <summary>Retries of connection failures for retry-safe calls (section <c>Gateway:Resilience:Retry</c>).</summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff; later ones grow exponentially, with jitter so callers do not retry in lockstep.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries allowed per cluster as a share of its calls within <see cref="BudgetWindow"/>.</summary>
    public double BudgetRatio { get; set; } = 0.1;

    /// <summary>Retries always allowed per cluster within <see cref="BudgetWindow"/>, so quiet clusters can still retry.</summary>
    public int BudgetMinimumRetries { get; set; } = 5;

    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromSeconds(10);
}
