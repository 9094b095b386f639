namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Configuration of <see cref="PrometheusMetricsCollector"/>.</summary>
public sealed class PrometheusExporterOptions
{
    public const int DefaultMaxSeriesPerMetric = 1000;

    /// <summary>Meters whose instruments are exported; every other meter is ignored.</summary>
    public ISet<string> MeterNames { get; set; } = new HashSet<string>(StringComparer.Ordinal)
    {
        GatewayMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "System.Net.Http",
    };

    /// <summary>Series per metric beyond which new label sets fold into one <c>otel_metric_overflow="true"</c> series.</summary>
    public int MaxSeriesPerMetric { get; set; } = DefaultMaxSeriesPerMetric;

    /// <summary>
    /// Tag keys removed from every meter: raw paths, addresses and identities are unbounded and may be personal data.
    /// </summary>
    public ISet<string> DeniedTagKeys { get; set; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "url.path",
        "url.full",
        "url.query",
        "url.original",
        "client.address",
        "client.port",
        "network.peer.address",
        "network.peer.port",
        "user.id",
        "enduser.id",
        "session.id",
        "request.id",
        "user",
        "request_id",
    };

    /// <summary>Per-meter allow/deny lists applied after <see cref="DeniedTagKeys"/>.</summary>
    public IDictionary<string, TagKeyPolicy> MeterTagPolicies { get; set; } =
        new Dictionary<string, TagKeyPolicy>(StringComparer.Ordinal);

    /// <summary>
    /// Histogram upper bounds by instrument name; these win over the instrument's own advice and the defaults.
    /// </summary>
    public IDictionary<string, double[]> HistogramBuckets { get; set; } =
        new Dictionary<string, double[]>(StringComparer.Ordinal);
}
