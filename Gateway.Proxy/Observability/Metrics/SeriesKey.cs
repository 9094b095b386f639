using System.Text;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// The identity of one time series inside a metric: tag keys (sorted, ordinal) and their label text.
/// Also carries the rendered label list so scrapes do not re-escape values.
/// </summary>
internal sealed class SeriesKey
{
    public const string OverflowLabel = "otel_metric_overflow";

    private readonly string[] _keys;
    private readonly string[] _values;
    private readonly int _hashCode;

    private SeriesKey(string[] keys, string[] values, string labels)
    {
        _keys = keys;
        _values = values;
        Labels = labels;
        _hashCode = ComputeHash(keys, values);
    }

    public static SeriesKey Overflow { get; } = new([OverflowLabel], ["true"], OverflowLabel + "=\"true\"");

    /// <summary>Rendered <c>name="value",...</c> list without braces; empty for a series without labels.</summary>
    public string Labels { get; }

    public static SeriesKey Create(ReadOnlySpan<KeyValuePair<string, object?>> sortedTags)
    {
        var keys = new string[sortedTags.Length];
        var values = new string[sortedTags.Length];
        Span<char> buffer = stackalloc char[LabelValues.BufferLength];
        for (var i = 0; i < sortedTags.Length; i++)
        {
            keys[i] = sortedTags[i].Key;
            values[i] = LabelValues.Format(sortedTags[i].Value, buffer).ToString();
        }

        return new SeriesKey(keys, values, RenderLabels(keys, values));
    }

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> sortedTags)
    {
        if (sortedTags.Length != _keys.Length)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[LabelValues.BufferLength];
        for (var i = 0; i < _keys.Length; i++)
        {
            if (!string.Equals(sortedTags[i].Key, _keys[i], StringComparison.Ordinal)
                || !LabelValues.Format(sortedTags[i].Value, buffer).SequenceEqual(_values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public bool Matches(SeriesKey other) =>
        ReferenceEquals(this, other)
        || (_hashCode == other._hashCode && _keys.AsSpan().SequenceEqual(other._keys) && _values.AsSpan().SequenceEqual(other._values));

    public override int GetHashCode() => _hashCode;

    public override bool Equals(object? obj) => obj is SeriesKey other && Matches(other);

    public static int ComputeHash(ReadOnlySpan<KeyValuePair<string, object?>> sortedTags)
    {
        var hash = new HashCode();
        Span<char> buffer = stackalloc char[LabelValues.BufferLength];
        foreach (var tag in sortedTags)
        {
            hash.Add(string.GetHashCode(tag.Key.AsSpan()));
            hash.Add(string.GetHashCode(LabelValues.Format(tag.Value, buffer)));
        }

        return hash.ToHashCode();
    }

    private static int ComputeHash(string[] keys, string[] values)
    {
        var hash = new HashCode();
        for (var i = 0; i < keys.Length; i++)
        {
            hash.Add(string.GetHashCode(keys[i].AsSpan()));
            hash.Add(string.GetHashCode(values[i].AsSpan()));
        }

        return hash.ToHashCode();
    }

    private static string RenderLabels(string[] keys, string[] values)
    {
        var builder = new StringBuilder();
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            var name = PrometheusNaming.LabelName(keys[i]);
            // "a.b" and "a_b" both sanitize to "a_b"; a repeated label name would make the line invalid.
            if (!seenNames.Add(name))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            PrometheusTextWriter.AppendLabel(builder, name, values[i]);
        }

        return builder.ToString();
    }
}
