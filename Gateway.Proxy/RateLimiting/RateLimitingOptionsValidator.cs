using Gateway.Redis;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.RateLimiting;

public sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public const int MaxRedisPoolSize = 64;

    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var failures = new List<string>();
        const string Section = RateLimitingOptions.SectionName;
        if (options.DefaultRequestsPerMinute < 0)
        {
            failures.Add($"{Section}:DefaultRequestsPerMinute (MCP_GATEWAY_RATE_LIMIT_RPM) must be 0 (off) or a positive number of requests per minute, e.g. 600.");
        }

        if (!string.IsNullOrWhiteSpace(options.RedisUrl))
        {
            try
            {
                RedisConnectionOptions.Parse(options.RedisUrl);
            }
            catch (FormatException ex)
            {
                failures.Add($"{Section}:RedisUrl: {ex.Message}");
            }
        }

        if (options.RedisCommandTimeout <= TimeSpan.Zero || options.RedisConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:RedisCommandTimeout and RedisConnectTimeout must be positive, e.g. \"00:00:00.050\" and \"00:00:00.250\".");
        }

        if (options.RedisPoolSize is < 1 or > MaxRedisPoolSize)
        {
            failures.Add($"{Section}:RedisPoolSize must be between 1 and {MaxRedisPoolSize} (each connection multiplexes many requests; 2 is plenty).");
        }

        if (options.RedisKeyPrefix is null || options.RedisKeyPrefix.Contains('{') || options.RedisKeyPrefix.Contains('}'))
        {
            failures.Add($"{Section}:RedisKeyPrefix must be set and must not contain '{{' or '}}' (the partition is the Redis Cluster hash tag).");
        }

        if (options.RedisProbeDelay <= TimeSpan.Zero || options.RedisProbeMaxDelay < options.RedisProbeDelay)
        {
            failures.Add($"{Section}:RedisProbeDelay must be positive and RedisProbeMaxDelay at least as long, e.g. \"00:00:00.500\" and \"00:00:10\".");
        }

        foreach (var (policyName, policy) in options.Policies)
        {
            RateLimitPolicy.TryCreate(policyName, policy ?? new RateLimitPolicyOptions(), failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
