namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// Maps OpenTelemetry-style instrument names and UCUM units to Prometheus metric and label names.
/// </summary>
internal static class PrometheusNaming
{
    private const string TotalSuffix = "_total";

    /// <summary>
    /// The exported family name: sanitized name, plus the unit suffix and (for counters) <c>_total</c>,
    /// unless the name already ends with them, so instruments named with final Prometheus names keep them.
    /// </summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusType type)
    {
        var name = Sanitize(instrumentName);
        var isCounter = type == PrometheusType.Counter;
        if (isCounter && name.EndsWith(TotalSuffix, StringComparison.Ordinal) && name.Length > TotalSuffix.Length)
        {
            name = name[..^TotalSuffix.Length];
        }

        var unitSuffix = UnitSuffix(unit);
        if (unitSuffix.Length > 0 && !EndsWithWord(name, unitSuffix))
        {
            name = name + "_" + unitSuffix;
        }

        if (isCounter)
        {
            return name + TotalSuffix;
        }

        // "_count", "_sum" and "_bucket" belong to histogram samples; a gauge such as System.Runtime's
        // "dotnet.timer.count" would read as one, and promtool rejects it.
        return type != PrometheusType.Histogram && EndsWithHistogramSuffix(name) ? name + "_value" : name;
    }

    private static bool EndsWithHistogramSuffix(string name) =>
        name.EndsWith("_count", StringComparison.Ordinal)
        || name.EndsWith("_sum", StringComparison.Ordinal)
        || name.EndsWith("_bucket", StringComparison.Ordinal);

    /// <summary>Sanitized like metric names; collapsing '_' runs also avoids the reserved "__" prefix.</summary>
    public static string LabelName(string tagKey) => Sanitize(tagKey);

    /// <summary>The Prometheus unit word for a UCUM unit; annotations such as <c>{request}</c> and "1" add nothing.</summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var numerator = UnitSuffix(unit[..slash]);
            var denominator = PerUnitWord(unit[(slash + 1)..]);
            return numerator.Length == 0 || denominator.Length == 0 ? numerator : numerator + "_per_" + denominator;
        }

        return unit switch
        {
            "1" => string.Empty,
            "s" => "seconds",
            "ms" => "milliseconds",
            "us" => "microseconds",
            "ns" => "nanoseconds",
            "min" => "minutes",
            "h" => "hours",
            "d" => "days",
            "By" => "bytes",
            "KiBy" => "kibibytes",
            "MiBy" => "mebibytes",
            "GiBy" => "gibibytes",
            "KBy" => "kilobytes",
            "MBy" => "megabytes",
            "GBy" => "gigabytes",
            "bit" => "bits",
            "Hz" => "hertz",
            "%" => "percent",
            _ when unit[0] == '{' => string.Empty,
            _ => Sanitize(unit).Trim('_'),
        };
    }

    private static string PerUnitWord(string unit) => unit switch
    {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => UnitSuffix(unit),
    };

    private static bool EndsWithWord(string name, string word) =>
        name.EndsWith(word, StringComparison.Ordinal)
        && (name.Length == word.Length || name[name.Length - word.Length - 1] == '_');

    /// <summary>Replaces every character outside [a-zA-Z0-9_] with '_', collapses runs of '_', and never starts with a digit.</summary>
    public static string Sanitize(string value)
    {
        if (value.Length == 0)
        {
            return "_";
        }

        Span<char> buffer = value.Length < 256 ? stackalloc char[value.Length + 1] : new char[value.Length + 1];
        var length = 0;
        if (char.IsAsciiDigit(value[0]))
        {
            buffer[length++] = '_';
        }

        foreach (var c in value)
        {
            var mapped = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
            if (mapped == '_' && length > 0 && buffer[length - 1] == '_')
            {
                continue;
            }

            buffer[length++] = mapped;
        }

        return new string(buffer[..length]);
    }
}
