using Gateway.Proxy.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Proxy.Observability;

/// <summary>
/// OTLP export of metrics and traces, on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the exporter reads the
/// standard <c>OTEL_*</c> variables itself (protocol, headers, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, service name).
/// Without it no tracer provider exists, so requests pay for no span beyond the propagation-only one of
/// <see cref="TraceContextListener"/>.
/// </summary>
public static class OtlpExport
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public static IServiceCollection AddGatewayOtlpExport(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .WithMetrics(static metrics => metrics.AddOtlpExporter())
            .WithTracing(static tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }

    /// <summary>
    /// True when an endpoint is set. The SDK would log and drop a malformed endpoint or protocol, leaving an operator
    /// to wonder where the telemetry went, so those stop the start instead.
    /// </summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        var endpoint = configuration[EndpointVariable];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new StartupConfigurationException(
                $"{EndpointVariable} is '{endpoint}'; set the collector's absolute http(s) URL, e.g. http://otel-collector:4318, or unset it to turn OTLP export off.");
        }

        var protocol = configuration[ProtocolVariable];
        if (!string.IsNullOrEmpty(protocol) && protocol is not ("grpc" or "http/protobuf"))
        {
            throw new StartupConfigurationException(
                $"{ProtocolVariable} is '{protocol}'; use grpc (the default, usually port 4317) or http/protobuf (usually port 4318).");
        }

        return true;
    }
}
