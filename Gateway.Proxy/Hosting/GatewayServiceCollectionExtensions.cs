using Gateway.Proxy.Configuration;
using Gateway.Proxy.Federation;
using Gateway.Proxy.Observability;
using Gateway.Proxy.Mcp;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Resilience;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authorization;
using Gateway.Proxy.Security.DnsRebinding;
using Gateway.Proxy.Tools;
using Gateway.Proxy.Tools.ResultSize;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Schema;
using Gateway.Transforms.Transforms;
using Gateway.Transforms.Validation;
using Gateway.Transforms.Validation.Cypher;
using Gateway.Transforms.Validation.Limits;
using Gateway.Transforms.Validation.Paths;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Configuration.RouteValidators;

namespace Gateway.Proxy.Hosting;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>Registers the gateway: routes.json provider, YARP with the gateway's transforms and steps, and the MCP front.</summary>
    public static IServiceCollection AddMcpGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>());
        services.TryAddSingleton(ManagementListener.None);
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpOptions>, McpOptionsValidator>());

        services.TryAddSingleton<ToolCatalogHolder>();
        services.TryAddSingleton<RoutesFileConfigProvider>();
        services.TryAddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<RoutesFileConfigProvider>());
        services.AddHostedService(sp => sp.GetRequiredService<RoutesFileConfigProvider>());

        services.AddReverseProxy()
            .AddTransformFactory<McpToolRequestTransformFactory>()
            .AddTransformFactory<CypherValidationTransformFactory>()
            .AddTransformFactory<PathValidationTransformFactory>();

        services.AddOptions<ArgumentLimits>().Bind(configuration.GetSection("Gateway:Limits"));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayStep, ArgumentSchemaStep>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayStep, ArgumentLimitsStep>());
        services.TryAddSingleton<RouteArgumentValidators>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayStep, ArgumentValidationStep>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayStep, ToolRequestBindingStep>());
        services.TryAddSingleton<IToolVisibility, PolicyToolVisibility>();
        services.TryAddSingleton<RouteAuthorizationPolicies>();
        services.TryAddSingleton<ToolListDecorations>();
        services.TryAddSingleton<RouteEndpointIndex>();
        services.TryAddSingleton<CallPipeline>();
        services.TryAddSingleton<ToolCallDispatcher>();
        services.TryAddSingleton<RestToolBackend>();
        services.TryAddSingleton<ToolBackends>();
        services.TryAddSingleton<ResultSizeLimits>();
        services.AddSingleton(new KnownRouteMetadataKey(ResultSizeMetadata.MaxResultBytesKey));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRouteValidator, ResultSizeConfigValidator>());

        services.TryAddSingleton<McpToolCalls>();
        services.TryAddSingleton<ServerInstructions>();
        services.AddMcpFront();
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<HostPolicy>();

        services.AddGatewayObservability(configuration);
        services.AddGatewaySecurity(configuration);
        services.AddGatewayRateLimiting(configuration);
        services.AddGatewayResilience(configuration);
        services.AddGatewayFederation(configuration);
        return services;
    }
}
