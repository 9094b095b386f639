namespace Gateway.Transforms.RateLimiting;

/// <summary>Decides, atomically per partition, whether one more request fits the rule.</summary>
public interface IRateLimitStore
{
    ValueTask<RateLimitDecision> AcquireAsync(string partitionKey, RateLimitRule rule, CancellationToken cancellationToken);
}
