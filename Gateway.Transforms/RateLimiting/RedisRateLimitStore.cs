using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Rate limits shared by every gateway replica: each decision is one atomic Lua script timed by the Redis server's
/// clock (StackExchange.Redis loads it once and runs it by SHA1, reloading after NOSCRIPT). Failures surface as
/// <see cref="RedisException"/> or <see cref="TimeoutException"/>; <see cref="FailoverRateLimitStore"/> decides what
/// they mean.
/// </summary>
public sealed class RedisRateLimitStore : IRateLimitStore
{
    /// <summary>Keys start <c>ratelimit:</c>, the layout the runbook's <c>redis-cli KEYS "ratelimit:tenant-123:*"</c> relies on.</summary>
    public const string DefaultKeyPrefix = "ratelimit:";

    private static readonly RateLimitRule[] WarmUpRules =
    [
        new("__warm-up__", RateLimitAlgorithm.SlidingWindow, 1, TimeSpan.FromSeconds(1)),
        new("__warm-up__", RateLimitAlgorithm.TokenBucket, 1, TimeSpan.FromSeconds(1)),
    ];

    private readonly RedisConnection _connection;
    private readonly string _keyPrefix;

    // Sliding-log members must be unique across replicas: a random per-store id plus a counter.
    private readonly long _storeId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
    private long _sequence;

    public RedisRateLimitStore(RedisConnection connection, string keyPrefix = DefaultKeyPrefix)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _connection = connection;
        _keyPrefix = keyPrefix;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RateLimitDecision> AcquireAsync(string partitionKey, RateLimitRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rule);
        cancellationToken.ThrowIfCancellationRequested();

        var database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        RedisKey[] keys = [RateLimitKeys.For(_keyPrefix, rule, partitionKey)];
        var reply = rule.Algorithm == RateLimitAlgorithm.SlidingWindow
            ? await database.ScriptEvaluateAsync(
                RedisRateLimitScripts.SlidingWindow,
                keys,
                [rule.PermitLimit, rule.WindowMilliseconds, _storeId, Interlocked.Increment(ref _sequence)]).ConfigureAwait(false)
            : await database.ScriptEvaluateAsync(
                RedisRateLimitScripts.TokenBucket, keys, [rule.Capacity, rule.PermitLimit, rule.WindowMilliseconds]).ConfigureAwait(false);
        return Decode(reply, rule);
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

    private static RateLimitDecision Decode(RedisResult reply, RateLimitRule rule)
    {
        if (reply.Resp2Type != ResultType.Array || reply.Length != 4 || (long[]?)reply is not [var allowed, var remaining, var resetAt, var retryAfter])
        {
            throw new RedisException($"The rate-limit script for policy '{rule.PolicyName}' returned an unexpected reply: {reply}.");
        }

        return RateLimitDecision.FromMilliseconds(allowed == 1, rule.Capacity, remaining, resetAt, retryAfter);
    }
}
