using System.Globalization;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// Runs on every routes.json generation as YARP loads it: gives clusters that leave them out an ActivityTimeout, a
/// connection cap and (with health checks) the fail-fast HealthyAndUnknown destination policy, and moves a route's <c>Timeout</c> into <see cref="ResilienceMetadata.TimeoutKey"/>. YARP would
/// otherwise demand ASP.NET's request-timeout middleware, which never runs for tool calls; the gateway enforces the
/// timeout itself inside the proxy pipeline, the same way for both entry points.
/// </summary>
public sealed class ResilienceConfigFilter : IProxyConfigFilter
{
    private const string HealthyAndUnknown = "HealthyAndUnknown";

    private readonly IOptionsMonitor<ResilienceOptions> _options;

    public ResilienceConfigFilter(IOptionsMonitor<ResilienceOptions> options) => _options = options;

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        var options = _options.CurrentValue;
        var request = cluster.HttpRequest ?? new ForwarderRequestConfig();
        if (request.ActivityTimeout is null)
        {
            cluster = cluster with { HttpRequest = request with { ActivityTimeout = options.DefaultActivityTimeout } };
        }

        var client = cluster.HttpClient ?? new HttpClientConfig();
        if (client.MaxConnectionsPerServer is null)
        {
            cluster = cluster with { HttpClient = client with { MaxConnectionsPerServer = options.DefaultMaxConnectionsPerServer } };
        }

        if (cluster.HealthCheck is { AvailableDestinationsPolicy: null } health && (health.Active?.Enabled == true || health.Passive?.Enabled == true))
        {
            // YARP's default (HealthyOrPanic) sends calls to unhealthy destinations once all are unhealthy; the gateway
            // fails those calls fast with BackendUnavailable instead.
            cluster = cluster with { HealthCheck = health with { AvailableDestinationsPolicy = HealthyAndUnknown } };
        }

        return ValueTask.FromResult(cluster);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        if (route.Timeout is not { } timeout)
        {
            return ValueTask.FromResult(route);
        }

        var metadata = new Dictionary<string, string>(route.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        metadata.TryAdd(ResilienceMetadata.TimeoutKey, timeout.ToString("c", CultureInfo.InvariantCulture));
        return ValueTask.FromResult(route with { Timeout = null, Metadata = metadata });
    }
}
