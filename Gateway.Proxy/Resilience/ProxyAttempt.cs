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
        _retrySafe = context.Features.Get<GatewayCall>()?.IsRetrySafe == true;
    }

    public int Attempts => _attempts;

    public bool TimedOut => _timeout?.IsCancellationRequested == true && !_callerAborted.IsCancellationRequested;

    public static ValueTask<Outcome<AttemptResult>> RunAsync(ResilienceContext _, ProxyAttempt attempt) => attempt.RunAsync();

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
