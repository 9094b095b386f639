using Gateway.Transforms.Pipeline;
using Polly;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// One call's way through the rest of the proxy pipeline (load balancing, passive health, forwarding), run once per
/// attempt. Before a retry it puts the HttpContext back the way the first attempt found it, and steers load
/// balancing away from the destination that just failed.
/// </summary>
internal sealed class ProxyAttempt
{
    private readonly RequestDelegate _next;
    private readonly HttpContext _context;
    private readonly IReverseProxyFeature _proxy;
    private readonly IReadOnlyList<DestinationState> _destinations;
    private readonly bool _retrySafe;
    private readonly CancellationToken _callerAborted;
    private readonly CancellationTokenSource? _timeout;
    private int _attempts;

    public ProxyAttempt(RequestDelegate next, HttpContext context, IReverseProxyFeature proxy, CancellationToken callerAborted, CancellationTokenSource? timeout)
    {
        _next = next;
        _context = context;
        _proxy = proxy;
        _destinations = proxy.AvailableDestinations;
        _callerAborted = callerAborted;
        _timeout = timeout;
        _retrySafe = IsRetrySafe(context);
    }

    public int Attempts => _attempts;

    public bool TimedOut => _timeout?.IsCancellationRequested == true && !_callerAborted.IsCancellationRequested;

    public static ValueTask<Outcome<AttemptResult>> RunAsync(ResilienceContext _, ProxyAttempt attempt) => attempt.RunAsync();

    /// <summary>
    /// Tool calls rebuild their request from the arguments on every attempt, so a tool that says it is read-only or
    /// idempotent may be repeated. A passthrough request is repeated only without a body (the inbound body stream is
    /// consumed by the first attempt) and only for methods that are safe by definition.
    /// </summary>
    internal static bool IsRetrySafe(HttpContext context)
    {
        if (context.Features.Get<GatewayCall>()?.Tool is { } tool)
        {
            return tool.IsRetrySafe;
        }

        var request = context.Request;
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            && request.ContentLength is null or 0
            && !request.Headers.ContainsKey("Transfer-Encoding");
    }

    private async ValueTask<Outcome<AttemptResult>> RunAsync()
    {
        if (_attempts++ > 0)
        {
            PrepareRetry();
        }

        await _next(_context);
        var kind = AttemptClassifier.Classify(_context, TimedOut, _callerAborted.IsCancellationRequested);
        return Outcome.FromResult(new AttemptResult(kind, _retrySafe && !_context.Response.HasStarted));
    }

    private void PrepareRetry()
    {
        var failed = _proxy.ProxiedDestination;
        _context.Response.StatusCode = StatusCodes.Status200OK;
        _context.Response.Headers.Clear();
        _context.Features.Set<IForwarderErrorFeature>(null);
        _proxy.ProxiedDestination = null;
        _proxy.AvailableDestinations = failed is null || _destinations.Count < 2 ? _destinations : Without(_destinations, failed);
    }

    private static DestinationState[] Without(IReadOnlyList<DestinationState> destinations, DestinationState failed)
    {
        var others = new List<DestinationState>(destinations.Count - 1);
        for (var i = 0; i < destinations.Count; i++)
        {
            if (!ReferenceEquals(destinations[i], failed))
            {
                others.Add(destinations[i]);
            }
        }

        return others.ToArray();
    }
}
