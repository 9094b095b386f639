using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Tools;

/// <summary>
/// Finds the YARP endpoint of a route by id, so a tool call can be run through exactly the pipeline that
/// routes.json built for that route. Rebuilt whenever YARP publishes new endpoints.
/// </summary>
public sealed class RouteEndpointIndex : IDisposable
{
    private readonly EndpointDataSource _endpoints;
    private readonly IDisposable _subscription;
    private FrozenDictionary<string, Endpoint> _byRouteId = FrozenDictionary<string, Endpoint>.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RouteEndpointIndex(EndpointDataSource endpoints)
    {
        _endpoints = endpoints;
        _subscription = ChangeToken.OnChange(endpoints.GetChangeToken, Rebuild);
        Rebuild();
    }

    public bool TryGet(string routeId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Endpoint? endpoint) =>
        Volatile.Read(ref _byRouteId).TryGetValue(routeId, out endpoint);

    /// <summary>
    /// A reload publishes the catalog and YARP's endpoints a moment apart; a call that arrives in between waits
    /// briefly for the route instead of failing.
    /// </summary>
    public async ValueTask<Endpoint?> GetAsync(string routeId, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (TryGet(routeId, out var endpoint))
        {
            return endpoint;
        }

        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (TryGet(routeId, out endpoint))
            {
                return endpoint;
            }

            await changed.WaitAsync(deadline - DateTime.UtcNow, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return TryGet(routeId, out endpoint) ? endpoint : null;
    }

    public void Dispose() => _subscription.Dispose();

    private void Rebuild()
    {
        var map = new Dictionary<string, Endpoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in _endpoints.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<RouteModel>() is { } route)
            {
                map[route.Config.RouteId] = endpoint;
            }
        }

        Volatile.Write(ref _byRouteId, map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
