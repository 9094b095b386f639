using Gateway.Proxy.Federation.Resources;
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
        services.TryAddSingleton<FederatedToolBackend>();
        services.TryAddSingleton<FederatedPrimitiveCatalog>();
        services.TryAddSingleton<UpstreamRequestGuard>();
        services.TryAddSingleton<FederatedPrimitiveRequests>();
        services.TryAddSingleton<ResourceSubscriptions>();
        return services;
    }
}
