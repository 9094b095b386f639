using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Resilience;

public sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    private const string Section = ResilienceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultToolTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:DefaultToolTimeout is {timeout}; use a positive duration such as 00:01:00, or remove it for no limit.");
        }

        if (options.DefaultActivityTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:DefaultActivityTimeout is {options.DefaultActivityTimeout}; use a positive duration such as 00:01:00.");
        }

        if (options.DefaultMaxConnectionsPerServer < 1)
        {
            failures.Add($"{Section}:DefaultMaxConnectionsPerServer is {options.DefaultMaxConnectionsPerServer}; use at least 1.");
        }

        if (options.MaxConcurrentRequestsPerCluster < 1)
        {
            failures.Add($"{Section}:MaxConcurrentRequestsPerCluster is {options.MaxConcurrentRequestsPerCluster}; use at least 1.");
        }

        if (!Enum.IsDefined(options.UnavailableTools))
        {
            failures.Add($"{Section}:UnavailableTools must be 'Flag' or 'Hide'.");
        }

        ValidateBreaker(options.CircuitBreaker, failures);
        ValidateRetry(options.Retry, failures);

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add($"{Section}:DrainTimeout is {options.DrainTimeout}; use zero or a positive duration such as 00:00:25.");
        }

        if (options.PreStopDelay < TimeSpan.Zero)
        {
            failures.Add($"{Section}:PreStopDelay is {options.PreStopDelay}; use zero or a positive duration such as 00:00:05.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateBreaker(CircuitBreakerOptions breaker, List<string> failures)
    {
        // Polly's own lower bounds, named here so the message says which setting to change.
        if (breaker.FailureRatio is <= 0 or > 1)
        {
            failures.Add($"{Section}:CircuitBreaker:FailureRatio is {breaker.FailureRatio}; use a value above 0 and at most 1, e.g. 0.5.");
        }

        if (breaker.MinimumThroughput < 2)
        {
            failures.Add($"{Section}:CircuitBreaker:MinimumThroughput is {breaker.MinimumThroughput}; use at least 2.");
        }

        if (breaker.SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Section}:CircuitBreaker:SamplingDuration is {breaker.SamplingDuration}; use at least 00:00:00.5.");
        }

        if (breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Section}:CircuitBreaker:BreakDuration is {breaker.BreakDuration}; use at least 00:00:00.5.");
        }
    }

    private static void ValidateRetry(RetryOptions retry, List<string> failures)
    {
        if (retry.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{Section}:Retry:MaxRetries is {retry.MaxRetries}; use 0 (off) to 10.");
        }

        if (retry.BaseDelay <= TimeSpan.Zero || retry.MaxDelay < retry.BaseDelay)
        {
            failures.Add($"{Section}:Retry:BaseDelay ({retry.BaseDelay}) must be positive and at most Retry:MaxDelay ({retry.MaxDelay}).");
        }

        if (retry.BudgetRatio is < 0 or > 1)
        {
            failures.Add($"{Section}:Retry:BudgetRatio is {retry.BudgetRatio}; use 0 to 1, e.g. 0.1 for retries up to 10% of calls.");
        }

        if (retry.BudgetMinimumRetries < 0)
        {
            failures.Add($"{Section}:Retry:BudgetMinimumRetries is {retry.BudgetMinimumRetries}; use 0 or more.");
        }

        if (retry.BudgetWindow < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:Retry:BudgetWindow is {retry.BudgetWindow}; use at least 00:00:01.");
        }
    }
}
