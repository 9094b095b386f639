using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// The one OpenTelemetry view of the gateway's meter provider. It keeps the meters of this host only: meters are
/// matched by name process-wide, so two hosts in one process (tests, or an integrator's) would otherwise count each
/// other's traffic; meters created outside any <see cref="IMeterFactory"/> (System.Net.Http, System.Runtime) are shared
/// by nature. It also gives second and millisecond histograms without advised buckets Prometheus-style bounds (the SDK's
/// default bounds suit milliseconds only), and renames gauges and sums such as System.Runtime's <c>dotnet.timer.count</c>
/// to <c>…_count_value</c>: Prometheus reads a <c>_count</c>, <c>_sum</c> or <c>_bucket</c> name as part of a histogram,
/// and <c>promtool check metrics</c> rejects it.
/// </summary>
/// <remarks>One function rather than several views: a view that drops an instrument does not stop another from exporting it.</remarks>
internal sealed class MetricViews(IMeterFactory hostMeters)
{
    public static double[] Seconds { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    public static double[] Milliseconds { get; } = [5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public MetricStreamConfiguration? Select(Instrument instrument)
    {
        if (instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, hostMeters))
        {
            return MetricStreamConfiguration.Drop;
        }

        if (!IsHistogram(instrument))
        {
            return EndsWithHistogramSuffix(instrument.Name) ? new MetricStreamConfiguration { Name = instrument.Name + "_value" } : null;
        }

        if (HasAdvisedBuckets(instrument))
        {
            return null;
        }

        return instrument.Unit switch
        {
            "s" => new ExplicitBucketHistogramConfiguration { Boundaries = Seconds },
            "ms" => new ExplicitBucketHistogramConfiguration { Boundaries = Milliseconds },
            _ => null,
        };
    }

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);

    private static bool EndsWithHistogramSuffix(string name) =>
        name.AsSpan(name.LastIndexOfAny(['.', '_']) + 1) is "count" or "sum" or "bucket";

    private static bool HasAdvisedBuckets(Instrument instrument) => instrument switch
    {
        Histogram<double> histogram => histogram.Advice?.HistogramBucketBoundaries is { Count: > 0 },
        Histogram<long> histogram => histogram.Advice?.HistogramBucketBoundaries is { Count: > 0 },
        Histogram<int> histogram => histogram.Advice?.HistogramBucketBoundaries is { Count: > 0 },
        Histogram<float> histogram => histogram.Advice?.HistogramBucketBoundaries is { Count: > 0 },
        _ => false,
    };
}
