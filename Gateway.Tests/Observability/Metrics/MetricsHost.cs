using System.Net;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Observability.Metrics;

/// <summary>A host with the gateway's metrics pipeline and its /metrics endpoint on real Kestrel (127.0.0.1, ephemeral port).</summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public GatewayMetrics Metrics => _app.Services.GetRequiredService<GatewayMetrics>();

    public static async Task<MetricsHost> StartAsync(Action<IServiceCollection>? configure = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        configure?.Invoke(builder.Services);
        builder.Services.AddGatewayMetrics();
        var app = builder.Build();
        map?.Invoke(app);
        app.MapPrometheusMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new MetricsHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public Task<string> ScrapeTextAsync() => Http.GetStringAsync("/metrics");

    public async Task<PrometheusExposition> ScrapeAsync() => PrometheusExposition.Parse(await ScrapeTextAsync());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
