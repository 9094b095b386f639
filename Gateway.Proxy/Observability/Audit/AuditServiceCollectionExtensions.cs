using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Observability.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AuditTrail"/> as the <see cref="IAuditSink"/> and as a hosted service, with validated
    /// <see cref="AuditOptions"/> (failing at startup with the validator's messages) and the forwarding HttpClient.
    /// Register <c>GatewayMetrics</c> too for <c>mcp_audit_events_total</c>.
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, Action<AuditOptions>? configure = null)
    {
        var options = services.AddOptions<AuditOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddHttpClient(AuditTrail.HttpClientName);
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IAuditSink>(provider => provider.GetRequiredService<AuditTrail>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditTrail>());
        return services;
    }
}
