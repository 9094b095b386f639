namespace Gateway.Transforms.RateLimiting;

public enum RateLimitAlgorithm
{
    /// <summary>Exact sliding log: at most PermitLimit permits in any Window-long interval.</summary>
    SlidingWindow,

    /// <summary>Bucket of BurstLimit (default PermitLimit) tokens refilled continuously at PermitLimit per Window.</summary>
    TokenBucket,
}
