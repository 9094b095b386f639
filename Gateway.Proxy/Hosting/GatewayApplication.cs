using Gateway.Proxy.Configuration;
using Gateway.Proxy.Observability;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.DnsRebinding;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

/// <summary>Builds the gateway application; shared by Program, the tests and the benchmark so all run the same host.</summary>
public static class GatewayApplication
{
    public const int DefaultPort = 8087;

    /// <summary>Builds, loads routes.json (throwing <see cref="RoutesConfigException"/> if invalid) and maps endpoints.</summary>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddGatewayEnvironmentAliases();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // Loopback by default: with auth off (the development default) the gateway must not be reachable from the network.
            builder.WebHost.UseUrls($"http://127.0.0.1:{DefaultPort}");
        }

        builder.AddGatewayLogging();
        configure?.Invoke(builder);
        ManagementListener.Apply(builder);
        builder.Services.AddMcpGateway(builder.Configuration);

        var app = builder.Build();

        // Every ValidateOnStart check now, before anything starts: a bad setting is reported once, as a configuration
        // error, instead of as a host that failed to start.
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.Services.GetRequiredService<RoutesFileConfigProvider>().LoadInitialAsync();
        app.UseGatewayObservability();

        // Before the forwarded headers are applied: the Host rule reads the Host the client connected with.
        app.UseMiddleware<DnsRebindingMiddleware>();
        app.UseGatewayResilience();
        if (app.Services.GetRequiredService<ManagementListener>().IsEnabled)
        {
            app.UseMiddleware<ManagementPortMiddleware>();
        }

        app.UseGatewaySecurity();
        app.UseGatewayRateLimiting();
        app.MapMcpGateway();
        return app;
    }
}
