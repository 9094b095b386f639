using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.RateLimiting;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Applies the route's rate-limit policy to every proxied call (MCP <c>tools/call</c>, the REST facade and passthrough
/// routes alike), after authorization and before argument checks. REST responses (passthrough and facade) carry the
/// rate-limit headers; rejections become 429 with <c>Retry-After</c> on REST and an <c>isError</c> result whose text and
/// <c>_meta</c> hold the retry time on /mcp.
/// </summary>
public sealed partial class RateLimitingStep : IGatewayStep
{
    public const int StepOrder = 200;
    public const string LogCategory = "mcp_gateway.security";

    private readonly RateLimitPolicies _policies;
    private readonly IRateLimitStore _store;
    private readonly GatewayMetrics _metrics;
    private readonly CallerIdentityResolver _callers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RateLimitingStep(RateLimitPolicies policies, IRateLimitStore store, GatewayMetrics metrics, CallerIdentityResolver callers, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        _callers = callers;
        _policies = policies;
        _store = store;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger(LogCategory);
    }

    public int Order => StepOrder;

    public async ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
    {
        var route = context.Route.Config;
        var policy = _policies.ForRoute(route.RateLimiterPolicy);
        if (policy is null)
        {
            return StepResult.Continue;
        }

        var http = context.HttpContext;
        var caller = _callers.Resolve(http.User);
        var quota = policy.QuotaFor(caller.Tier);
        var partition = RateLimitPartitionKey.Build(policy.PartitionBy, caller, http, route.RouteId, context.Tool?.Name);
        var decision = await _store.AcquireAsync(partition, quota.Rule, http.RequestAborted);
        if (decision.Allowed)
        {
            // The entry point puts them on its response where it can: passthrough and the REST facade do; /mcp commits
            // its SSE headers before the tool runs (so long calls do not trip client timeouts), and there a
            // rejection's isError result carries the retry time instead (text and _meta).
            return StepResult.ContinueWith(RateLimitHeaders.For(quota, decision, _time.GetUtcNow()));
        }

        _metrics.RecordRateLimited(policy.Name);
        var retryAfter = RateLimitHeaders.RetryAfterSeconds(decision);
        Log.Rejected(_logger, policy.Name, context.Tool?.Name ?? route.RouteId, quota.Limit, quota.WindowSeconds, retryAfter);
        return StepResult.Reject(CreateRejection(quota, decision, RateLimitHeaders.For(quota, decision, _time.GetUtcNow()), retryAfter,
            $"Rate limit exceeded (policy '{quota.PolicyName}': {quota.Limit} requests per {quota.WindowSeconds} s). Retry after {retryAfter} s."));
    }

    internal static GatewayRejection CreateRejection(RateLimitQuota quota, in RateLimitDecision decision, KeyValuePair<string, string>[] headers, long retryAfter, string message)
    {
        var rejectionHeaders = new Dictionary<string, string>(headers.Length + 1, StringComparer.OrdinalIgnoreCase)
        {
            [RateLimitHeaders.RetryAfter] = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in headers)
        {
            rejectionHeaders[name] = value;
        }

        return new GatewayRejection(
            StatusCodes.Status429TooManyRequests,
            GatewayErrorCodes.RateLimited,
            message,
            RejectionKind.ToolError)
        {
            Headers = rejectionHeaders,
            Data = new Dictionary<string, object?>(4)
            {
                ["retry_after_seconds"] = retryAfter,
                ["limit"] = quota.Limit,
                ["policy"] = quota.PolicyName,
                ["reset"] = (long)Math.Ceiling((decision.ResetAt - DateTimeOffset.UnixEpoch).TotalSeconds),
            },
        };
    }

    private static partial class Log
    {
        // Debug, like ASP.NET Core's own rate limiter: a flood must not turn into a log flood. mcp_rate_limited_total and
        // the audit trail count every rejection.
        [LoggerMessage(EventId = 10, EventName = "RateLimitRejected", Level = LogLevel.Debug,
            Message = "Rate limit exceeded: policy '{Policy}' on '{Target}' ({Limit} per {WindowSeconds} s); retry after {RetryAfterSeconds} s.")]
        public static partial void Rejected(ILogger logger, string policy, string target, int limit, long windowSeconds, long retryAfterSeconds);
    }
}
