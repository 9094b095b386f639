using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authentication;
using Gateway.Transforms.Catalog;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Publishes the series the alert rules use at 0 when the host starts (audit outcomes, reload results, each
/// authentication failure reason when auth is on, each rate-limit policy in force, each tool's ok/error requests) and
/// the new tools' and policies' series after a reload: a counter that first appears at 1 hides its first event from
/// <c>rate()</c> and <c>increase()</c>, and the exporter only shows a series once something was recorded for it.
/// </summary>
internal sealed class MetricSeriesSeeder : IHostedService
{
    private readonly GatewayMetrics _metrics;
    private readonly ToolCatalogHolder? _catalog;
    private readonly RateLimitPolicies? _policies;
    private readonly bool _authEnabled;

    // The meter provider is a constructor dependency so it listens before the first zero is recorded.
    public MetricSeriesSeeder(MeterProvider meterProvider, GatewayMetrics metrics, IServiceProvider services)
    {
        GC.KeepAlive(meterProvider);
        _metrics = metrics;
        _catalog = services.GetService<ToolCatalogHolder>();
        _policies = services.GetService<RateLimitPolicies>();
        _authEnabled = services.GetService<IOptions<SecurityOptions>>()?.Value.Enabled ?? false;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _metrics.PublishZeroSeries();
        if (_authEnabled)
        {
            foreach (var reason in AuthFailureReasons.All)
            {
                _metrics.PublishZeroAuthFailures(reason);
            }
        }

        if (_policies is not null)
        {
            _policies.Changed += PublishPolicies;
            PublishPolicies();
        }

        if (_catalog is not null)
        {
            _catalog.Changed += PublishTools;
            PublishTools(_catalog.Current);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_catalog is not null)
        {
            _catalog.Changed -= PublishTools;
        }

        if (_policies is not null)
        {
            _policies.Changed -= PublishPolicies;
        }

        return Task.CompletedTask;
    }

    private void PublishPolicies()
    {
        var policies = _policies!;
        foreach (var name in policies.Names)
        {
            _metrics.PublishZeroRateLimited(name);
        }

        if (policies.Default is { } defaultPolicy)
        {
            _metrics.PublishZeroRateLimited(defaultPolicy.Name);
        }

        if (policies.Refusals is { } refusals)
        {
            _metrics.PublishZeroRateLimited(refusals.PolicyName);
        }
    }

    private void PublishTools(ToolCatalog catalog)
    {
        foreach (var tool in catalog.Tools)
        {
            _metrics.PublishZeroSeries(tool.Name, tool.Upstream?.Server);
        }
    }
}
