using System.Globalization;
using System.Text;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Writes the Prometheus text exposition format 0.0.4.</summary>
public sealed class PrometheusTextWriter(StringBuilder output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void WriteFamilyHeader(string name, PrometheusType type, string help)
    {
        output.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(output, help, escapeQuotes: false);
        output.Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(TypeName(type)).Append('\n');
    }

    /// <param name="labels">A rendered <c>name="value",...</c> list without braces (see <see cref="AppendLabel"/>), or empty.</param>
    public void WriteSample(string name, string labels, double value)
    {
        output.Append(name);
        if (labels.Length > 0)
        {
            output.Append('{').Append(labels).Append('}');
        }

        output.Append(' ');
        AppendValue(output, value);
        output.Append('\n');
    }

    /// <param name="bucketCounts">Per-bucket counts (one per bound plus +Inf); rendered cumulatively.</param>
    public void WriteHistogram(string name, string labels, ReadOnlySpan<double> bounds, ReadOnlySpan<long> bucketCounts, double sum, long count)
    {
        long cumulative = 0;
        for (var i = 0; i <= bounds.Length; i++)
        {
            cumulative += bucketCounts[i];
            output.Append(name).Append("_bucket{");
            if (labels.Length > 0)
            {
                output.Append(labels).Append(',');
            }

            output.Append("le=\"");
            if (i < bounds.Length)
            {
                AppendValue(output, bounds[i]);
            }
            else
            {
                output.Append("+Inf");
            }

            output.Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        WriteSample(name + "_sum", labels, sum);
        WriteSample(name + "_count", labels, count);
    }

    /// <summary>Appends already rendered exposition text.</summary>
    public void WriteRaw(StringBuilder text) => output.Append(text);

    /// <summary>Appends <c>name="escaped value"</c>; the name must already be a valid label name.</summary>
    public static void AppendLabel(StringBuilder builder, string name, ReadOnlySpan<char> value)
    {
        builder.Append(name).Append("=\"");
        AppendEscaped(builder, value, escapeQuotes: true);
        builder.Append('"');
    }

    public static void AppendValue(StringBuilder builder, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            builder.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            builder.Append("-Inf");
        }
        else if (double.IsNaN(value))
        {
            builder.Append("NaN");
        }
        else
        {
            Span<char> buffer = stackalloc char[32];
            value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture);
            builder.Append(buffer[..written]);
        }
    }

    private static void AppendEscaped(StringBuilder builder, ReadOnlySpan<char> text, bool escapeQuotes)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    builder.Append("\\\"");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    private static string TypeName(PrometheusType type) => type switch
    {
        PrometheusType.Counter => "counter",
        PrometheusType.Histogram => "histogram",
        _ => "gauge",
    };
}
