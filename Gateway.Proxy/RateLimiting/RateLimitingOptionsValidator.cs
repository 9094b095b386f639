using Microsoft.Extensions.Options;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Checks every rate-limit setting. Given the configuration, it also reports policies and tiers the binder dropped:
/// the configuration binder silently skips a dictionary entry with a value of the wrong type, which would otherwise
/// turn a typo into a missing policy.
/// </summary>
public sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    /// <summary>Settings that were removed, with what replaces them: binding would silently ignore them.</summary>
    private static readonly (string Key, string Replacement)[] RemovedSettings =
    [
        ("RedisPoolSize", "StackExchange.Redis multiplexes every decision over one connection, so there is no pool to size; remove the setting"),
    ];

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
                RedisUrl.Parse(options.RedisUrl);
            }
            catch (FormatException ex)
            {
                failures.Add($"{Section}:RedisUrl: {ex.Message}");
            }
        }

        if (!IsTimeout(options.RedisCommandTimeout) || !IsTimeout(options.RedisConnectTimeout))
        {
            failures.Add($"{Section}:RedisCommandTimeout and RedisConnectTimeout must be between 1 ms and 1 minute, e.g. \"00:00:01\" (the default of both).");
        }

        if (options.RedisKeyPrefix is null || options.RedisKeyPrefix.Contains('{') || options.RedisKeyPrefix.Contains('}'))
        {
            failures.Add($"{Section}:RedisKeyPrefix must be set and must not contain '{{' or '}}' (a hash tag in the prefix would put every key on one Redis Cluster slot).");
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
            ReportRemovedSettings(_configuration.GetSection(Section), failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsTimeout(TimeSpan value) => value >= TimeSpan.FromMilliseconds(1) && value <= TimeSpan.FromMinutes(1);

    private static void ReportRemovedSettings(IConfigurationSection section, List<string> failures)
    {
        foreach (var (key, replacement) in RemovedSettings)
        {
            if (section.GetSection(key).Value is not null)
            {
                failures.Add($"{section.Path}:{key} is no longer supported: {replacement}.");
            }
        }
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
