using System.Collections.Concurrent;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Refused requests (unknown tool, malformed request, failed authentication, unknown session, denied route...) cost
/// the caller from a budget of their own (<c>Gateway:RateLimiting:RefusalsPerMinute</c>, per principal, client IP when
/// unauthenticated), so a flood of them is limited like any call instead of costing the gateway, its logs and the
/// audit trail for free. A caller over the budget is refused at the door (<see cref="RefusalLimitMiddleware"/>) until a
/// permit is back, and a refusal that is still charged while over it is answered as rate limited instead.
/// </summary>
public sealed partial class RefusalLimiter
{
    /// <summary>Callers remembered as over budget; beyond this (a flood from many addresses) the store alone decides.</summary>
    private const int MaxBlockedCallers = 10_000;

    private readonly ConcurrentDictionary<string, long> _blockedUntil = new(StringComparer.Ordinal);
    private readonly RateLimitPolicies _policies;
    private readonly IRateLimitStore _store;
    private readonly CallerIdentityResolver _callers;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RefusalLimiter(
        RateLimitPolicies policies,
        IRateLimitStore store,
        CallerIdentityResolver callers,
        GatewayMetrics metrics,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null)
    {
        _policies = policies;
        _store = store;
        _callers = callers;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger(RateLimitingStep.LogCategory);
    }

    /// <summary>
    /// Statuses that are the caller's fault: 4xx except 429 (already a rate limit) and 405 (spec-compliant clients probe
    /// <c>GET /mcp</c> once per connection). 5xx are the gateway's or a backend's and never cost the caller.
    /// </summary>
    public static bool IsRefusalStatus(int statusCode) => statusCode is >= 400 and < 500 and not 429 and not 405;

    /// <summary>
    /// Whether a rejection from the proxy pipeline still needs charging: authorization runs before the rate-limit step,
    /// so its refusals have cost nothing yet; later rejections (schema, limits, validators) already took a permit.
    /// </summary>
    public static bool IsUnchargedPipelineRejection(GatewayRejection rejection) =>
        IsRefusalStatus(rejection.StatusCode) && rejection.Code is GatewayErrorCodes.Unauthorized or GatewayErrorCodes.Forbidden;

    /// <summary>Marks a request whose refusals (if any) were already charged, or that was not refused.</summary>
    public static void MarkAccounted(HttpContext context) => context.Features.Set(AccountedFeature.Instance);

    public static bool IsAccounted(HttpContext context) => context.Features.Get<AccountedFeature>() is not null;

    /// <summary>True while the caller's refusal budget is spent; <paramref name="retryAfterSeconds"/> says for how long.</summary>
    public bool IsBlocked(HttpContext context, out long retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_blockedUntil.IsEmpty || !_blockedUntil.TryGetValue(PartitionOf(context), out var until))
        {
            return false;
        }

        var remainingMs = until - NowMs();
        if (remainingMs <= 0)
        {
            _blockedUntil.TryRemove(new KeyValuePair<string, long>(PartitionOf(context), until));
            return false;
        }

        retryAfterSeconds = Math.Max(1, (remainingMs + 999) / 1000);
        return true;
    }

    /// <summary>
    /// Charges one refusal to the caller. Returns null within budget; over it, the rate-limit rejection to answer instead
    /// (it echoes nothing of the request), and the caller is refused at the door until a permit is back.
    /// </summary>
    public async ValueTask<GatewayRejection?> ChargeAsync(HttpContext context)
    {
        MarkAccounted(context);
        var quota = _policies.Refusals;
        if (quota is null)
        {
            return null;
        }

        var partition = PartitionOf(context);
        RateLimitDecision decision;
        try
        {
            decision = await _store.AcquireAsync(partition, quota.Rule, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Like every limit: a failing store must not turn into failed requests.
            Log.ChargeFailed(_logger, ex.Message);
            return null;
        }

        if (decision.Allowed)
        {
            return null;
        }

        var retryAfter = RateLimitHeaders.RetryAfterSeconds(decision);
        Block(partition, retryAfter);
        _metrics.RecordRateLimited(quota.PolicyName);
        Log.RefusalsLimited(_logger, quota.Limit, retryAfter);
        return RateLimitingStep.CreateRejection(quota, decision, RateLimitHeaders.For(quota, decision, _time.GetUtcNow()), retryAfter,
            $"Too many refused requests (policy '{quota.PolicyName}': {quota.Limit} per {quota.WindowSeconds} s). " +
            $"Fix the requests (tool name, request format, credential, session) and retry after {retryAfter} s.");
    }

    /// <summary>The answer at the door while the budget is spent.</summary>
    public GatewayRejection BlockedRejection(long retryAfterSeconds)
    {
        var quota = _policies.Refusals;
        var limit = quota?.Limit ?? 0;
        return new GatewayRejection(
            StatusCodes.Status429TooManyRequests,
            GatewayErrorCodes.RateLimited,
            $"Too many refused requests (policy '{RateLimitPolicies.RefusalsPolicyName}': {limit} per {quota?.WindowSeconds ?? 60} s). " +
            $"Fix the requests (tool name, request format, credential, session) and retry after {retryAfterSeconds} s.",
            RejectionKind.ToolError)
        {
            Headers = new Dictionary<string, string> { [RateLimitHeaders.RetryAfter] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Data = new Dictionary<string, object?>
            {
                ["retry_after_seconds"] = retryAfterSeconds,
                ["limit"] = limit,
                ["policy"] = RateLimitPolicies.RefusalsPolicyName,
            },
        };
    }

    // "refused:" cannot begin a policy partition (those start with a one-letter tag and a digit), so the two never share keys.
    private string PartitionOf(HttpContext context) => "refused:" + _callers.PartitionKey(context);

    private void Block(string partition, long retryAfterSeconds)
    {
        var now = NowMs();
        if (_blockedUntil.Count >= MaxBlockedCallers)
        {
            foreach (var (key, until) in _blockedUntil)
            {
                if (until <= now)
                {
                    _blockedUntil.TryRemove(new KeyValuePair<string, long>(key, until));
                }
            }

            if (_blockedUntil.Count >= MaxBlockedCallers)
            {
                return;
            }
        }

        _blockedUntil[partition] = now + (retryAfterSeconds * 1000);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class AccountedFeature
    {
        public static readonly AccountedFeature Instance = new();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3250, EventName = "RefusalsLimited", Level = LogLevel.Debug,
            Message = "A caller exceeded the refusal budget ({Limit} refused requests per minute); refused at the door for {RetryAfterSeconds} s.")]
        public static partial void RefusalsLimited(ILogger logger, int limit, long retryAfterSeconds);

        [LoggerMessage(EventId = 3251, EventName = "RefusalChargeFailed", Level = LogLevel.Debug,
            Message = "Could not charge a refused request to the caller's budget ({Error}); the refusal is answered as usual.")]
        public static partial void ChargeFailed(ILogger logger, string error);
    }
}
