using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// The policies routes can name, rebuilt whenever configuration reloads. A reload that fails validation is logged and
/// ignored, so a typo in appsettings.json never drops the limits in force. (The section is rebound here rather than
/// through IOptionsMonitor because a monitored options type with a validator throws from inside the reload callback.)
/// </summary>
public sealed partial class RateLimitPolicies : IDisposable
{
    public const string DefaultPolicyName = "default";

    /// <summary>The budget of refused requests (see <see cref="RefusalLimiter"/>); its partitions cannot meet a policy's.</summary>
    public const string RefusalsPolicyName = "refusals";

    /// <summary>YARP's reserved <c>RateLimiterPolicy</c> values: the default limit, and none.</summary>
    public const string DefaultRouteValue = "Default";
    public const string DisableRouteValue = "Disable";

    private readonly IConfiguration _configuration;
    private readonly RateLimitingOptions _startupOptions;
    private readonly ILogger _logger;
    private readonly IDisposable? _reloadSubscription;
    private readonly ConcurrentDictionary<string, byte> _reportedMissing = new(StringComparer.OrdinalIgnoreCase);
    private volatile Snapshot _current;

    public RateLimitPolicies(IOptions<RateLimitingOptions> options, IConfiguration configuration, ILogger<RateLimitPolicies> logger)
    {
        _configuration = configuration;
        _startupOptions = options.Value;
        _logger = logger;
        var errors = new List<string>();
        _current = Snapshot.TryCreate(_startupOptions, errors)
            ?? throw new OptionsValidationException(RateLimitingOptions.SectionName, typeof(RateLimitingOptions), errors);
        _reloadSubscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>Raised after a reload changed the policies in force.</summary>
    public event Action? Changed;

    /// <summary>The limit for routes without a policy, or null when <c>DefaultRequestsPerMinute</c> is 0.</summary>
    public RateLimitPolicy? Default => _current.Default;

    /// <summary>The budget of refused requests per caller, or null when <c>RefusalsPerMinute</c> is 0.</summary>
    public RateLimitQuota? Refusals => _current.Refusals;

    public IReadOnlyCollection<string> Names => _current.Named.Keys;

    public static bool IsReservedName(string name) =>
        string.Equals(name, DefaultRouteValue, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, DisableRouteValue, StringComparison.OrdinalIgnoreCase);

    public bool IsDeclared(string name) => _current.Named.ContainsKey(name);

    /// <summary>
    /// The policy for a route's <c>RateLimiterPolicy</c>: null/empty/<c>Default</c> → the default policy,
    /// <c>Disable</c> → none (null), a name → that policy. A name no longer declared (removed from configuration after
    /// routes.json was validated) falls back to the default policy, with one warning.
    /// </summary>
    public RateLimitPolicy? ForRoute(string? rateLimiterPolicy)
    {
        var snapshot = _current;
        if (string.IsNullOrEmpty(rateLimiterPolicy) || string.Equals(rateLimiterPolicy, DefaultRouteValue, StringComparison.OrdinalIgnoreCase))
        {
            return snapshot.Default;
        }

        if (snapshot.Named.TryGetValue(rateLimiterPolicy, out var policy))
        {
            return policy;
        }

        if (string.Equals(rateLimiterPolicy, DisableRouteValue, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (_reportedMissing.TryAdd(rateLimiterPolicy, 0))
        {
            Log.PolicyMissing(_logger, rateLimiterPolicy);
        }

        return snapshot.Default;
    }

    public void Dispose() => _reloadSubscription?.Dispose();

    private void Reload()
    {
        var options = new RateLimitingOptions();
        var errors = new List<string>();
        try
        {
            _configuration.GetSection(RateLimitingOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        var failures = errors.Count == 0 ? new RateLimitingOptionsValidator(_configuration).Validate(null, options) : ValidateOptionsResult.Fail(errors);
        var snapshot = failures.Failed ? null : Snapshot.TryCreate(options, errors);
        if (snapshot is null)
        {
            Log.ReloadRejected(_logger, string.Join(" ", failures.Failures ?? errors));
            return;
        }

        _current = snapshot;
        _reportedMissing.Clear();
        if (RestartRequired(options))
        {
            Log.RestartRequired(_logger);
        }

        Log.Reloaded(_logger, snapshot.Named.Count, options.DefaultRequestsPerMinute);
        Changed?.Invoke();
    }

    private bool RestartRequired(RateLimitingOptions options) =>
        !string.Equals(options.RedisUrl ?? string.Empty, _startupOptions.RedisUrl ?? string.Empty, StringComparison.Ordinal)
        || options.RedisCommandTimeout != _startupOptions.RedisCommandTimeout
        || options.RedisConnectTimeout != _startupOptions.RedisConnectTimeout
        || !string.Equals(options.RedisKeyPrefix, _startupOptions.RedisKeyPrefix, StringComparison.Ordinal)
        || options.RedisProbeDelay != _startupOptions.RedisProbeDelay
        || options.RedisProbeMaxDelay != _startupOptions.RedisProbeMaxDelay;

    private sealed record Snapshot(FrozenDictionary<string, RateLimitPolicy> Named, RateLimitPolicy? Default, RateLimitQuota? Refusals)
    {
        public static Snapshot? TryCreate(RateLimitingOptions options, List<string> errors)
        {
            var firstError = errors.Count;
            var named = new Dictionary<string, RateLimitPolicy>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, policyOptions) in options.Policies)
            {
                if (RateLimitPolicy.TryCreate(name, policyOptions ?? new RateLimitPolicyOptions(), errors) is { } policy)
                {
                    named[name] = policy;
                }
            }

            var defaultPolicy = options.DefaultRequestsPerMinute > 0 ? RateLimitPolicy.CreateDefault(options.DefaultRequestsPerMinute) : null;
            var refusals = RateLimitPolicy.CreateRefusalQuota(options.RefusalsPerMinute, options.DefaultRequestsPerMinute);
            return errors.Count == firstError ? new Snapshot(named.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), defaultPolicy, refusals) : null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "RateLimitPoliciesReloaded", Level = LogLevel.Information,
            Message = "Rate-limit policies reloaded: {PolicyCount} named policies, default {DefaultRequestsPerMinute} requests per minute (0 = off).")]
        public static partial void Reloaded(ILogger logger, int policyCount, int defaultRequestsPerMinute);

        [LoggerMessage(EventId = 2, EventName = "RateLimitPoliciesReloadRejected", Level = LogLevel.Error,
            Message = "Rate-limit settings changed but are invalid; the previous policies stay in force. {Errors}")]
        public static partial void ReloadRejected(ILogger logger, string errors);

        [LoggerMessage(EventId = 3, EventName = "RateLimitRedisSettingsChanged", Level = LogLevel.Warning,
            Message = "Gateway:RateLimiting Redis settings changed; they take effect only after a restart.")]
        public static partial void RestartRequired(ILogger logger);

        [LoggerMessage(EventId = 4, EventName = "RateLimitPolicyMissing", Level = LogLevel.Warning,
            Message = "A route uses rate-limit policy '{Policy}', which is no longer declared in Gateway:RateLimiting:Policies; the default limit applies until it is declared again.")]
        public static partial void PolicyMissing(ILogger logger, string policy);
    }
}
