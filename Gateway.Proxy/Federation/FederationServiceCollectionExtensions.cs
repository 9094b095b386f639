using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Federation.Health;
using Gateway.Proxy.Federation.Pinning;
using Gateway.Proxy.Health;
using Gateway.Transforms.Federation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation;

/// <summary>Composition of federation: upstream MCP servers declared in routes.json, their sessions and their tools.</summary>
public static class FederationServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayFederation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FederationOptions>().Bind(configuration.GetSection(FederationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>());
        services.TryAddSingleton<UpstreamDefinitions>();
        services.TryAddSingleton<UpstreamPassiveHealth>();
        services.TryAddSingleton<UpstreamTransports>();
        services.TryAddSingleton<UpstreamRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<UpstreamRegistry>());
        services.TryAddSingleton<Relay.ClientBoundSessions>();
        services.TryAddSingleton<PrincipalSessions>();
        services.TryAddSingleton<UpstreamSessionSelector>();
        services.TryAddSingleton<UpstreamResilience>();
        services.TryAddSingleton<FederatedToolBackend>();
        services.TryAddSingleton<FederatedPrimitiveCatalog>();
        services.TryAddSingleton<FederatedResourceUris>();
        services.TryAddSingleton<UpstreamRequestGuard>();
        services.TryAddSingleton<FederatedPrimitiveRequests>();
        services.TryAddSingleton<ResourceSubscriptions>();
        services.AddToolPinning(configuration);
        services.AddUpstreamHealth(configuration);
        return services;
    }

    /// <summary>Tool-definition pinning: the pin file, the quarantine it decides, and its readiness check.</summary>
    private static IServiceCollection AddToolPinning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ToolPinningOptions>().Bind(configuration.GetSection(ToolPinningOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ToolPinningOptions>, ToolPinningOptionsValidator>());
        services.TryAddSingleton<ToolPins>();
        services.AddHostedService(sp => sp.GetRequiredService<ToolPins>());
        services.TryAddSingleton<ToolQuarantine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, ToolPinsCheck>());
        return services;
    }

    /// <summary>The dual (REST and MCP) health check of every upstream, for /status/servers and metrics.</summary>
    private static IServiceCollection AddUpstreamHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpstreamHealthOptions>().Bind(configuration.GetSection(UpstreamHealthOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpstreamHealthOptions>, UpstreamHealthOptionsValidator>());
        services.TryAddSingleton<UpstreamHealthProbe>();
        services.TryAddSingleton<UpstreamHealthMetrics>();
        services.TryAddSingleton<UpstreamHealthMonitor>();
        services.TryAddSingleton<UpstreamStatus>();
        services.AddHostedService(sp => sp.GetRequiredService<UpstreamHealthMonitor>());
        return services;
    }
}
