using Gateway.Proxy.Hosting;
using Gateway.Proxy.Health;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Security.Authentication;
using Gateway.Proxy.Security.Authorization;
using Gateway.Proxy.Security.Forwarding;
using Gateway.Proxy.Security.Keys;
using Gateway.Proxy.Security.Metadata;
using Gateway.Proxy.Security.Tls;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Configuration.RouteValidators;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Security;

/// <summary>Composition hooks for security; called by the gateway host in a fixed order.</summary>
public static class GatewaySecurityExtensions
{
    public static IServiceCollection AddGatewaySecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelTlsSetup>());

        services.TryAddSingleton<SecurityEvents>();
        services.TryAddSingleton<RequestHostRule>();
        services.TryAddSingleton<ResourceIdentity>();
        services.TryAddSingleton<TierOrder>();
        services.TryAddSingleton<AccessPolicy>();
        services.TryAddSingleton<CallerIdentityResolver>();
        services.TryAddSingleton<RouteAccessRequirements>();
        services.TryAddSingleton<AnonymousPaths>();
        services.TryAddSingleton<AuthChallenge>();
        services.TryAddSingleton<OperatorAccess>();
        services.TryAddSingleton<VerifiedIdentityHeaders>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransformProvider, IdentityHeadersTransformProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransformProvider, HeaderValueGuardTransformProvider>());
        AddRouteValidation(services);
        services.AddAuthorization();

        var settings = new SecurityOptions();
        configuration.GetSection(SecurityOptions.SectionName).Bind(settings);
        if (settings.Enabled)
        {
            AddAuthentication(services, settings);
            services.Replace(ServiceDescriptor.Singleton<IToolVisibility, RouteToolVisibility>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayStep, RouteAuthorizationStep>());
        }

        return services;
    }

    /// <summary>Application middleware, before routing.</summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        // The management listener serves only probes and operator endpoints and is guarded by the network, not by
        // credentials or refusal budgets.
        var management = app.Services.GetRequiredService<ManagementListener>();
        app.UseWhen(context => !management.IsManagementConnection(context), main =>
        {
            if (options.Enabled)
            {
                main.UseAuthentication();
            }

            // Once the caller is known and before anything refuses: failed authentications count against the caller's
            // refusal budget (by client IP) like any other refusal.
            main.UseRefusalLimits();
            if (options.Enabled)
            {
                main.UseMiddleware<AuthenticationGateMiddleware>();
                main.UseMiddleware<OperatorAccessMiddleware>();
            }
        });

        if (!options.Enabled)
        {
            var exposed = ListenAddresses.FromConfiguration(app.Configuration).Any(a => !ListenAddresses.IsLoopback(a));
            app.Services.GetRequiredService<SecurityEvents>().AuthenticationDisabled(exposed);
        }

        // After the gate, so a YARP route's AuthorizationPolicy (ASP.NET policies) is honoured as well.
        app.UseAuthorization();
        return app;
    }

    /// <summary>Endpoints of this area (e.g. metadata documents).</summary>
    public static IEndpointRouteBuilder MapGatewaySecurity(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<SecurityOptions>>().Value is { Enabled: true, HasAuthorizationServer: true })
        {
            endpoints.MapProtectedResourceMetadata();
        }

        return endpoints;
    }

    /// <summary>Proxy-pipeline middleware, after the gateway steps and before load balancing.</summary>
    public static IReverseProxyApplicationBuilder UseGatewaySecurity(this IReverseProxyApplicationBuilder proxy) => proxy;

    private static void AddAuthentication(IServiceCollection services, SecurityOptions settings)
    {
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = GatewayAuthenticationSchemes.Gateway;
        });

        var apiKeys = settings.ApiKeys.Enabled;
        var oidc = settings.OidcConfigured;
        var apiKeyHeader = settings.ApiKeys.HeaderName;
        authentication.AddPolicyScheme(GatewayAuthenticationSchemes.Gateway, "API key or bearer token", options =>
        {
            options.ForwardDefaultSelector = context =>
                apiKeys && (!oidc || PresentedCredentials.HasApiKey(context.Request, apiKeyHeader))
                    ? GatewayAuthenticationSchemes.ApiKey
                    : GatewayAuthenticationSchemes.Bearer;
        });

        if (apiKeys)
        {
            services.TryAddSingleton<ApiKeyStore>();
            services.AddHostedService(sp => sp.GetRequiredService<ApiKeyStore>());
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(GatewayAuthenticationSchemes.ApiKey, "API key", null);
        }

        if (oidc)
        {
            services.AddHttpClient(JwksKeyStore.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
            services.TryAddSingleton<JwksKeyStore>();
            services.AddHostedService(sp => sp.GetRequiredService<JwksKeyStore>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, SigningKeysReadinessCheck>());
            services.TryAddSingleton<GatewayJwtBearerEvents>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>());
            authentication.AddJwtBearer(GatewayAuthenticationSchemes.Bearer, _ => { });
        }
    }

    /// <summary>routes.json load and reload also check the routes' access rules.</summary>
    private static void AddRouteValidation(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRouteValidator, RouteAccessConfigValidator>());
}
