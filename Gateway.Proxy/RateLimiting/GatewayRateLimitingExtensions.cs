using Gateway.Proxy.Hosting;
using Gateway.Proxy.Health;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.RateLimiting;

/// <summary>Composition hooks for rate limiting; called by the gateway host in a fixed order.</summary>
public static class GatewayRateLimitingExtensions
{
    /// <summary>
    /// Policies from <c>Gateway:RateLimiting</c>, the <see cref="RateLimitingStep"/>, the store (Redis with fail-open when
    /// <c>RedisUrl</c> is set, else in memory), the <c>redis</c> readiness check, and route validation of policy names.
    /// Call after <c>AddReverseProxy()</c>.
    /// </summary>
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(RateLimitPolicies)))
        {
            return services;
        }

        var section = configuration.GetSection(RateLimitingOptions.SectionName);
        services.AddOptions<RateLimitingOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitingOptions>>(sp => new RateLimitingOptionsValidator(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton<RateLimitPolicies>();

        // The store is chosen once: the Redis settings need a restart (see docs/rate-limiting.md).
        if (string.IsNullOrWhiteSpace(section[nameof(RateLimitingOptions.RedisUrl)]))
        {
            services.TryAddSingleton<IRateLimitStore>(_ => new InMemoryRateLimitStore());
        }
        else
        {
            services.TryAddSingleton(sp => new RedisRateLimitBackend(
                sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
            services.TryAddSingleton<IRateLimitStore>(sp => sp.GetRequiredService<RedisRateLimitBackend>().Store);
            services.AddHostedService<RedisRateLimitMonitor>();
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayStep, RateLimitingStep>());
        services.TryAddSingleton<RefusalLimiter>();
        services.AddSingleton<IReadinessCheck>(sp => new RedisReadinessCheck(sp.GetService<RedisRateLimitBackend>()));
        DecorateRouteValidation(services);
        return services;
    }

    /// <summary>Application middleware, before routing.</summary>
    public static WebApplication UseGatewayRateLimiting(this WebApplication app) => app;

    /// <summary>
    /// The refusal budget at the door (<see cref="RefusalLimitMiddleware"/>). Called by the security area between
    /// authentication (so the caller is known) and the authentication gate (so failed authentications are counted too).
    /// </summary>
    public static IApplicationBuilder UseRefusalLimits(this IApplicationBuilder app) => app.UseMiddleware<RefusalLimitMiddleware>();

    /// <summary>Endpoints of this area (e.g. metadata documents).</summary>
    public static IEndpointRouteBuilder MapGatewayRateLimiting(this IEndpointRouteBuilder endpoints) => endpoints;

    /// <summary>
    /// Proxy-pipeline middleware, after the gateway steps and before load balancing. Nothing here: limits run as the
    /// <see cref="RateLimitingStep"/> (Order 200), which every proxied call passes.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseGatewayRateLimiting(this IReverseProxyApplicationBuilder proxy) => proxy;

    private static void DecorateRouteValidation(IServiceCollection services) =>
        services.Decorate<IConfigValidator>((sp, inner) => new RateLimitPolicyRouteValidator(inner, sp.GetRequiredService<RateLimitPolicies>()));
}
