using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Gateway.Redis;
using Gateway.Redis.Scripting;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Rate limits shared by every gateway replica: each decision is one atomic Lua script (EVALSHA, EVAL on NOSCRIPT)
/// timed by the Redis server's clock. Redis failures surface as <see cref="RedisException"/>;
/// <see cref="FailoverRateLimitStore"/> turns them into a local fallback.
/// </summary>
public sealed class RedisRateLimitStore : IRateLimitStore
{
    public const string DefaultKeyPrefix = "mcpgw:rl:";

    private static readonly RateLimitRule[] WarmUpRules =
    [
        new("__warm-up__", RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromSeconds(1)),
        new("__warm-up__", RateLimitAlgorithm.TokenBucket, 1, TimeSpan.FromSeconds(1)),
    ];

    private readonly IRedisClient _redis;
    private readonly string _keyPrefix;

    // Sliding-log members must be unique across replicas: a random per-store id plus a counter.
    private readonly long _storeId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
    private long _sequence;

    public RedisRateLimitStore(IRedisClient redis, string keyPrefix = DefaultKeyPrefix)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _redis = redis;
        _keyPrefix = keyPrefix;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RateLimitDecision> AcquireAsync(string partitionKey, RateLimitRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rule);

        var keys = ArrayPool<string>.Shared.Rent(1);
        var args = ArrayPool<RedisArg>.Shared.Rent(4);
        var argCount = 3;
        try
        {
            keys[0] = RateLimitKeys.For(_keyPrefix, rule, partitionKey);
            RedisScript script;
            if (rule.Algorithm == RateLimitAlgorithm.SlidingWindow)
            {
                script = RedisRateLimitScripts.SlidingWindow;
                args[0] = rule.PermitLimit;
                args[1] = rule.WindowMilliseconds;
                args[2] = _storeId;
                args[3] = Interlocked.Increment(ref _sequence);
                argCount = 4;
            }
            else
            {
                script = RedisRateLimitScripts.TokenBucket;
                args[0] = rule.Capacity;
                args[1] = rule.PermitLimit;
                args[2] = rule.WindowMilliseconds;
            }

            var reply = await script.EvaluateAsync(_redis, keys.AsMemory(0, 1), args.AsMemory(0, argCount), cancellationToken)
                .ConfigureAwait(false);
            return Decode(reply, rule);
        }
        finally
        {
            keys[0] = null!;
            ArrayPool<string>.Shared.Return(keys);
            ArrayPool<RedisArg>.Shared.Return(args, clearArray: true);
        }
    }

    /// <summary>
    /// Runs each script once on a throwaway partition (keys expire after 1 s). This caches the scripts on the server and
    /// pays one-time costs (Garnet starts its Lua engine on first use, ~0.5 s) outside the request path; it is also the
    /// deepest health check: it proves the whole decision path works.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        foreach (var rule in WarmUpRules)
        {
            await AcquireAsync("warm-up", rule, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RateLimitDecision Decode(in RedisValue reply, RateLimitRule rule)
    {
        if (reply.Length != 4
            || !reply[0].TryGetInt64(out var allowed)
            || !reply[1].TryGetInt64(out var remaining)
            || !reply[2].TryGetInt64(out var resetAt)
            || !reply[3].TryGetInt64(out var retryAfter))
        {
            throw new RedisProtocolException($"The rate-limit script for policy '{rule.PolicyName}' returned an unexpected reply: {reply}.");
        }

        return RateLimitDecision.FromMilliseconds(allowed == 1, rule.Capacity, remaining, resetAt, retryAfter);
    }
}
