using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Creates the stream that aggregates one published instrument, or null for unsupported kinds.</summary>
internal static class MetricStreamFactory
{
    public static MetricStream? Create(Instrument instrument, long order, TagKeyFilter filter, PrometheusExporterOptions options)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var maxSeries = options.MaxSeriesPerMetric;
        if (definition == typeof(Histogram<>))
        {
            var bounds = HistogramBuckets.Resolve(instrument, options.HistogramBuckets);
            var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, PrometheusType.Histogram);
            return new HistogramStream(instrument, name, order, bounds, filter, maxSeries);
        }

        (PrometheusType Type, ScalarAggregation Aggregation)? kind =
            definition == typeof(Counter<>) ? (PrometheusType.Counter, ScalarAggregation.MonotonicSum)
            : definition == typeof(UpDownCounter<>) ? (PrometheusType.Gauge, ScalarAggregation.Sum)
            : definition == typeof(Gauge<>) ? (PrometheusType.Gauge, ScalarAggregation.LastValue)
            // Observable counters report cumulative totals, so the last observation is the counter value.
            : definition == typeof(ObservableCounter<>) ? (PrometheusType.Counter, ScalarAggregation.LastValue)
            : definition == typeof(ObservableUpDownCounter<>) ? (PrometheusType.Gauge, ScalarAggregation.LastValue)
            : definition == typeof(ObservableGauge<>) ? (PrometheusType.Gauge, ScalarAggregation.LastValue)
            : null;
        if (kind is not { } k)
        {
            return null;
        }

        var metricName = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, k.Type);
        return new ScalarStream(instrument, metricName, k.Type, order, k.Aggregation, filter, maxSeries);
    }
}
