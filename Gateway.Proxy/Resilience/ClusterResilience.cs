using Gateway.Proxy.Observability.Metrics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// The resilience state of one cluster: its bulkhead, retry budget and circuit breaker, combined in one Polly
/// pipeline (retry outside the breaker, so a retry meets an open circuit and stops).
/// </summary>
public sealed class ClusterResilience
{
    private readonly CircuitBreakerStateProvider? _breaker;
    private readonly TimeProvider _time;
    private ClusterConfig _config;
    private long _openUntilTicks;

    public ClusterResilience(ClusterConfig config, ResilienceOptions options, TimeProvider time)
    {
        _config = config;
        _time = time;
        ClusterId = config.ClusterId;
        Gate = new ConcurrencyGate(ResilienceMetadata.MaxConcurrentRequests(config, options.MaxConcurrentRequestsPerCluster));
        Budget = new RetryBudget(options.Retry.BudgetRatio, options.Retry.BudgetMinimumRetries, options.Retry.BudgetWindow, time);

        var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = time };
        if (options.Retry.MaxRetries > 0)
        {
            var budget = Budget;
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = options.Retry.MaxRetries,
                Delay = options.Retry.BaseDelay,
                MaxDelay = options.Retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // The budget is only charged for attempts that would otherwise be retried.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.IsRetryable && budget.TryWithdraw()),
            });
        }

        if (options.CircuitBreaker.Enabled)
        {
            _breaker = new CircuitBreakerStateProvider();
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptResult>
            {
                FailureRatio = options.CircuitBreaker.FailureRatio,
                MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
                SamplingDuration = options.CircuitBreaker.SamplingDuration,
                BreakDuration = options.CircuitBreaker.BreakDuration,
                StateProvider = _breaker,
                OnOpened = args =>
                {
                    Volatile.Write(ref _openUntilTicks, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    return default;
                },
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.IsBackendFailure),
            });
        }

        Pipeline = builder.Build();
    }

    public string ClusterId { get; }

    public ClusterConfig Config => Volatile.Read(ref _config);

    public ConcurrencyGate Gate { get; }

    public RetryBudget Budget { get; }

    private ResiliencePipeline<AttemptResult> Pipeline { get; }

    /// <summary>
    /// Runs one call's attempts through the retry budget and the pipeline (retries, breaker), whatever sends them: a
    /// REST route's YARP pipeline or an upstream MCP session.
    /// </summary>
    public async ValueTask<Outcome<AttemptResult>> ExecuteAsync<TAttempt>(
        Func<ResilienceContext, TAttempt, ValueTask<Outcome<AttemptResult>>> attempt, TAttempt state, CancellationToken cancellationToken)
    {
        Budget.RecordRequest();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await Pipeline.ExecuteOutcomeAsync(attempt, context, state);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public CircuitStateCode CircuitState => _breaker?.CircuitState switch
    {
        Polly.CircuitBreaker.CircuitState.Open or Polly.CircuitBreaker.CircuitState.Isolated => CircuitStateCode.Open,
        Polly.CircuitBreaker.CircuitState.HalfOpen => CircuitStateCode.HalfOpen,
        _ => CircuitStateCode.Closed,
    };

    /// <summary>
    /// True while an open circuit still refuses calls. Once the break is over the next call probes the backend, so
    /// the cluster counts as available again even though the circuit reports Open until that call arrives.
    /// </summary>
    public bool IsRefusingCalls => CircuitState == CircuitStateCode.Open && _time.GetUtcNow().UtcTicks < Volatile.Read(ref _openUntilTicks);

    /// <summary>Takes a reloaded cluster definition, keeping breaker state and in-flight counts across the reload.</summary>
    public void Adopt(ClusterConfig config, int defaultLimit)
    {
        Gate.Limit = ResilienceMetadata.MaxConcurrentRequests(config, defaultLimit);
        Volatile.Write(ref _config, config);
    }
}
