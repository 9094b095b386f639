using Gateway.Transforms.Pipeline;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// The gateway's policy for one call, in one place for every entry point: the ordered <see cref="IGatewayStep"/>s
/// (authorization, rate limiting, limits, schema, request binding) decide on the call before anything is forwarded,
/// and the <see cref="IGatewayCallObserver"/>s (audit, metrics) see each finished call exactly once.
/// </summary>
public sealed class CallPipeline
{
    private readonly IGatewayStep[] _steps;
    private readonly IGatewayCallObserver[] _observers;

    public CallPipeline(IEnumerable<IGatewayStep> steps, IEnumerable<IGatewayCallObserver> observers)
    {
        _steps = steps.OrderBy(s => s.Order).ToArray();
        _observers = observers.ToArray();
    }

    /// <summary>Runs the steps; returns the rejection that stopped the call, or null once the call is admitted.</summary>
    public async ValueTask<GatewayRejection?> DecideAsync(HttpContext caller, RouteModel route, GatewayCall call)
    {
        foreach (var step in _steps)
        {
            var result = await step.InvokeAsync(new GatewayStepContext(caller, route, call));
            if (result.ResponseHeaders is { Count: > 0 } headers)
            {
                call.AddResponseHeaders(headers);
            }

            if (result.Rejection is { } rejection)
            {
                call.Reject(rejection);
                return rejection;
            }
        }

        call.Admit();
        return null;
    }

    public void Observe(in GatewayCallRecord record)
    {
        foreach (var observer in _observers)
        {
            observer.OnCallCompleted(record);
        }
    }
}
