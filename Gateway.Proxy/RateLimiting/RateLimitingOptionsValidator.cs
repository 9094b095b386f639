using Gateway.Redis;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Checks every rate-limit setting. Given the configuration, it also reports policies and tiers the binder dropped:
/// the configuration binder silently skips a dictionary entry with a value of the wrong type, which would otherwise
/// turn a typo into a missing policy.
/// </summary>
public sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public const int MaxRedisPoolSize = 64;

    private readonly IConfiguration? _configuration;

    public RateLimitingOptionsValidator(IConfiguration? configuration = null) => _configuration = configuration;

    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var failures = new List<string>();
        const string Section = RateLimitingOptions.SectionName;
        if (options.DefaultRequestsPerMinute < 0)
        {
            failures.Add($"{Section}:DefaultRequestsPerMinute (MCP_GATEWAY_RATE_LIMIT_RPM) must be 0 (off) or a positive number of requests per minute, e.g. 600.");
        }

        if (options.RefusalsPerMinute < 0)
        {
            failures.Add($"{Section}:RefusalsPerMinute must be 0 (off) or a positive number of refused requests per minute per caller, e.g. 60.");
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

        if (_configuration is not null)
        {
            ReportDroppedEntries(_configuration.GetSection(Section), options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ReportDroppedEntries(IConfigurationSection section, RateLimitingOptions options, List<string> failures)
    {
        foreach (var policySection in section.GetSection(nameof(RateLimitingOptions.Policies)).GetChildren())
        {
            if (!options.Policies.TryGetValue(policySection.Key, out var policy))
            {
                failures.Add($"{policySection.Path} could not be read: a value has the wrong type. Algorithm is SlidingWindow or TokenBucket, " +
                    "PermitLimit and BurstLimit are whole numbers, Window is a time span such as \"00:01:00\", PartitionBy is a list.");
                continue;
            }

            foreach (var tierSection in policySection.GetSection(nameof(RateLimitPolicyOptions.Tiers)).GetChildren())
            {
                if (!policy.Tiers.ContainsKey(tierSection.Key))
                {
                    failures.Add($"{tierSection.Path} could not be read: PermitLimit and BurstLimit are whole numbers, Window is a time span such as \"00:01:00\".");
                }
            }
        }
    }
}
