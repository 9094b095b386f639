using System.Diagnostics.Metrics;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Chooses histogram upper bounds: configured, else the instrument's advice, else a default for its unit.</summary>
internal static class HistogramBuckets
{
    public static double[] Seconds { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    public static double[] Milliseconds { get; } = [5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static double[] Generic { get; } = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static double[] Resolve(Instrument instrument, IDictionary<string, double[]> configured)
    {
        if (configured.TryGetValue(instrument.Name, out var bounds))
        {
            return Normalize(bounds);
        }

        var advised = AdvisedBounds(instrument);
        if (advised is { Length: > 0 })
        {
            return Normalize(advised);
        }

        return instrument.Unit switch
        {
            "s" => Seconds,
            "ms" => Milliseconds,
            _ => Generic,
        };
    }

    /// <summary>The index of the first bound &gt;= value (Prometheus buckets are inclusive); bounds.Length means +Inf.</summary>
    public static int BucketIndex(double[] bounds, double value)
    {
        var index = Array.BinarySearch(bounds, value);
        return index >= 0 ? index : ~index;
    }

    private static double[]? AdvisedBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> histogram => histogram.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<float> histogram => Convert(histogram.Advice?.HistogramBucketBoundaries),
        Histogram<long> histogram => Convert(histogram.Advice?.HistogramBucketBoundaries),
        Histogram<int> histogram => Convert(histogram.Advice?.HistogramBucketBoundaries),
        Histogram<short> histogram => Convert(histogram.Advice?.HistogramBucketBoundaries),
        Histogram<byte> histogram => Convert(histogram.Advice?.HistogramBucketBoundaries),
        Histogram<decimal> histogram => Convert(histogram.Advice?.HistogramBucketBoundaries),
        _ => null,
    };

    private static double[]? Convert<T>(IReadOnlyList<T>? bounds)
        where T : struct, IConvertible
    {
        if (bounds is null)
        {
            return null;
        }

        var converted = new double[bounds.Count];
        for (var i = 0; i < converted.Length; i++)
        {
            converted[i] = bounds[i].ToDouble(System.Globalization.CultureInfo.InvariantCulture);
        }

        return converted;
    }

    private static double[] Normalize(IEnumerable<double> bounds) =>
        bounds.Where(double.IsFinite).Distinct().Order().ToArray();
}
