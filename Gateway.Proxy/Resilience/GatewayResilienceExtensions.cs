using Gateway.Proxy.Hosting;
using Gateway.Proxy.Health;
using Gateway.Proxy.Tools;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Configuration.ClusterValidators;
using Yarp.ReverseProxy.Configuration.RouteValidators;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// Composition hooks for resilience; called by the gateway host in a fixed order. Registers timeouts, retries,
/// circuit breakers and bulkheads per cluster, the health-aware tool list, graceful draining, and the ingress
/// settings (forwarded headers, path base).
/// </summary>
public static class GatewayResilienceExtensions
{
    public static IServiceCollection AddGatewayResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResilienceOptions>().Bind(configuration.GetSection(ResilienceOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>());
        services.AddOptions<IngressOptions>().Bind(configuration.GetSection(IngressOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>());

        services.TryAddSingleton<ClusterResilienceRegistry>();
        services.AddSingleton(new Gateway.Proxy.Security.Authorization.KnownRouteMetadataKey(ResilienceMetadata.TimeoutKey));
        services.TryAddSingleton<Gateway.Proxy.Health.IClusterCircuitState, ClusterCircuitState>();
        services.TryAddSingleton<ClusterAvailability>();
        services.TryAddSingleton<RouteTimeouts>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigFilter, ResilienceConfigFilter>());
        AddConfigValidation(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IToolListDecorator, UnavailableToolDecorator>());

        services.TryAddSingleton<DrainState>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, LifecycleReadinessCheck>());
        services.AddHostedService<GracefulShutdown>();
        services.AddHostedService<ResilienceTelemetry>();
        services.AddOptions<HostOptions>().Configure<IOptions<ResilienceOptions>>((host, resilience) =>
            host.ShutdownTimeout = resilience.Value.PreStopDelay + resilience.Value.DrainTimeout);
        return services;
    }

    /// <summary>Application middleware, before routing: trusted X-Forwarded-* headers, then the path base.</summary>
    public static WebApplication UseGatewayResilience(this WebApplication app)
    {
        var ingress = app.Services.GetRequiredService<IOptions<IngressOptions>>().Value;
        app.UseForwardedHeaders(ForwardedHeadersSetup.Create(ingress));
        if (ingress.PathBase.Length > 0)
        {
            app.UsePathBase(ingress.PathBase);

            // WebApplication would otherwise match routes before the path base is stripped.
            app.UseRouting();
        }

        return app;
    }

    /// <summary>Endpoints of this area (e.g. metadata documents).</summary>
    public static IEndpointRouteBuilder MapGatewayResilience(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>Proxy-pipeline middleware, after the gateway steps and before load balancing.</summary>
    public static IReverseProxyApplicationBuilder UseGatewayResilience(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<ResilienceMiddleware>();
        return proxy;
    }

    private static void AddConfigValidation(IServiceCollection services)
    {
        services.TryAddSingleton<ResilienceConfigValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRouteValidator, ResilienceConfigValidator>(sp => sp.GetRequiredService<ResilienceConfigValidator>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClusterValidator, ResilienceConfigValidator>(sp => sp.GetRequiredService<ResilienceConfigValidator>()));
    }
}
