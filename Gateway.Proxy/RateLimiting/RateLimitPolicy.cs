using System.Collections.Frozen;
using System.Globalization;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>A validated, ready-to-apply policy: its base quota, quotas per tier and how callers are partitioned.</summary>
public sealed class RateLimitPolicy
{
    public const int MaxNameLength = 64;

    private static readonly RateLimitPartitionDimension[] DefaultPartitioning = [RateLimitPartitionDimension.Principal];

    private readonly FrozenDictionary<string, RateLimitQuota> _tiers;

    private RateLimitPolicy(string name, RateLimitQuota quota, FrozenDictionary<string, RateLimitQuota> tiers, RateLimitPartitionDimension[] partitionBy)
    {
        Name = name;
        Quota = quota;
        _tiers = tiers;
        PartitionBy = partitionBy;
    }

    public string Name { get; }

    /// <summary>The quota of callers whose tier has none of its own (or who have no tier).</summary>
    public RateLimitQuota Quota { get; }

    public IReadOnlyList<RateLimitPartitionDimension> PartitionBy { get; }

    public IReadOnlyCollection<string> Tiers => _tiers.Keys;

    /// <summary>The quota for a caller's <c>tier</c> claim (case-insensitive); unknown or absent tiers get <see cref="Quota"/>.</summary>
    public RateLimitQuota QuotaFor(string? tier) =>
        tier is not null && _tiers.TryGetValue(tier, out var quota) ? quota : Quota;

    /// <summary>The built-in policy for routes without one: a token bucket per principal per tool.</summary>
    public static RateLimitPolicy CreateDefault(int requestsPerMinute) => new(
        RateLimitPolicies.DefaultPolicyName,
        new RateLimitQuota(
            RateLimitPolicies.DefaultPolicyName,
            new RateLimitRule(RateLimitPolicies.DefaultPolicyName, RateLimitAlgorithm.TokenBucket, requestsPerMinute, TimeSpan.FromMinutes(1))),
        FrozenDictionary<string, RateLimitQuota>.Empty,
        [RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tool]);

    /// <summary>
    /// The budget of refused requests: a token bucket of <paramref name="refusalsPerMinute"/>, capped by the default limit
    /// when that is on (a refused call is never cheaper to repeat than a valid one); null when off.
    /// </summary>
    public static RateLimitQuota? CreateRefusalQuota(int refusalsPerMinute, int defaultRequestsPerMinute)
    {
        var permits = defaultRequestsPerMinute > 0 ? Math.Min(refusalsPerMinute, defaultRequestsPerMinute) : refusalsPerMinute;
        return permits > 0
            ? new RateLimitQuota(RateLimitPolicies.RefusalsPolicyName, new RateLimitRule(RateLimitPolicies.RefusalsPolicyName, RateLimitAlgorithm.TokenBucket, permits, TimeSpan.FromMinutes(1)))
            : null;
    }

    /// <summary>Builds the policy, or adds to <paramref name="errors"/> one message per problem (naming the setting) and returns null.</summary>
    public static RateLimitPolicy? TryCreate(string name, RateLimitPolicyOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        var path = $"{RateLimitingOptions.SectionName}:Policies:{name}";
        var firstError = errors.Count;

        if (!IsValidName(name))
        {
            errors.Add($"{path}: policy names must be 1-{MaxNameLength} characters from A-Z, a-z, 0-9, '_', '-', '.'.");
        }
        else if (RateLimitPolicies.IsReservedName(name))
        {
            errors.Add($"{path}: '{name}' is reserved (as in YARP, routes use 'Default' for the default limit and 'Disable' for none); rename the policy.");
        }

        if (!Enum.IsDefined(options.Algorithm))
        {
            errors.Add($"{path}:Algorithm must be SlidingWindow or TokenBucket.");
        }

        var partitionBy = ParsePartitionBy(path, options.PartitionBy, errors);
        var quota = TryCreateQuota(name, path, options.Algorithm, options.PermitLimit, options.Window, options.BurstLimit, errors);
        var tiers = new Dictionary<string, RateLimitQuota>(StringComparer.OrdinalIgnoreCase);
        foreach (var (tier, tierOptions) in options.Tiers)
        {
            var tierPath = $"{path}:Tiers:{tier}";
            if (tier.Length == 0 || tierOptions is null)
            {
                errors.Add($"{tierPath}: a tier needs a name and at least a PermitLimit, e.g. \"free\": {{ \"PermitLimit\": 60 }}.");
                continue;
            }

            var tierQuota = TryCreateQuota(
                name, tierPath, options.Algorithm, tierOptions.PermitLimit, tierOptions.Window ?? options.Window, tierOptions.BurstLimit, errors);
            if (tierQuota is not null)
            {
                tiers[tier] = tierQuota;
            }
        }

        return errors.Count == firstError
            ? new RateLimitPolicy(name, quota!, tiers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), partitionBy)
            : null;
    }

    internal static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static RateLimitQuota? TryCreateQuota(
        string name, string path, RateLimitAlgorithm algorithm, int permitLimit, TimeSpan window, int? burstLimit, List<string> errors)
    {
        var valid = true;
        if (permitLimit < 1)
        {
            errors.Add($"{path}:PermitLimit must be at least 1 (got {permitLimit.ToString(CultureInfo.InvariantCulture)}), e.g. 100.");
            valid = false;
        }

        if (window < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"{path}:Window must be at least 1 ms, e.g. \"00:01:00\" for one minute.");
            valid = false;
        }

        if (burstLimit is not null && (burstLimit < 1 || algorithm != RateLimitAlgorithm.TokenBucket))
        {
            errors.Add($"{path}:BurstLimit must be at least 1 and applies only to Algorithm TokenBucket; remove it or switch the algorithm.");
            valid = false;
        }

        if (!valid || !Enum.IsDefined(algorithm))
        {
            return null;
        }

        try
        {
            return new RateLimitQuota(name, new RateLimitRule(name, algorithm, permitLimit, window, burstLimit));
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{path}: {ex.Message.Split(" (Parameter", 2)[0]} Use a shorter Window or a smaller limit.");
            return null;
        }
    }

    private static RateLimitPartitionDimension[] ParsePartitionBy(string path, string[]? values, List<string> errors)
    {
        if (values is null || values.Length == 0)
        {
            return DefaultPartitioning;
        }

        var dimensions = new List<RateLimitPartitionDimension>(values.Length);
        foreach (var value in values)
        {
            if (!TryParseDimension(value, out var dimension))
            {
                errors.Add($"{path}:PartitionBy: unknown value '{value}'; use any of principal, tenant, tier, tool.");
            }
            else if (dimensions.Contains(dimension))
            {
                errors.Add($"{path}:PartitionBy lists '{value}' twice.");
            }
            else
            {
                dimensions.Add(dimension);
            }
        }

        return [.. dimensions];
    }

    private static bool TryParseDimension(string? value, out RateLimitPartitionDimension dimension) =>
        Gateway.Transforms.Configuration.EnumNames.TryParse(value?.Trim(), out dimension);
}
