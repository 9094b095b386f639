using System.Globalization;
using System.Text;

namespace Gateway.Tests.Observability.Metrics;

/// <summary>
/// A strict parser of the Prometheus text format 0.0.4 for tests: it throws <see cref="FormatException"/> on any
/// line a Prometheus server would reject, on repeated HELP/TYPE, on samples outside their declared family and on
/// duplicate series.
/// </summary>
internal sealed class PrometheusExposition
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);
    private readonly List<PrometheusSample> _samples = [];

    public IReadOnlyDictionary<string, string> Types => _types;

    public IReadOnlyDictionary<string, string> Help => _help;

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    public static PrometheusExposition Parse(string text)
    {
        var exposition = new PrometheusExposition();
        var seenSeries = new HashSet<string>(StringComparer.Ordinal);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var (name, rest) = SplitName(line["# HELP ".Length..]);
                if (!exposition._help.TryAdd(name, rest))
                {
                    throw new FormatException($"Second HELP for {name}.");
                }
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var (name, type) = SplitName(line["# TYPE ".Length..]);
                if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"Unknown type '{type}' for {name}.");
                }

                if (!exposition._types.TryAdd(name, type))
                {
                    throw new FormatException($"Second TYPE for {name}.");
                }
            }
            else if (line.StartsWith('#'))
            {
                continue;
            }
            else
            {
                var sample = ParseSample(line);
                exposition.CheckFamily(sample);
                var identity = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
                if (!seenSeries.Add(identity))
                {
                    throw new FormatException($"Duplicate series {identity}.");
                }

                exposition._samples.Add(sample);
            }
        }

        return exposition;
    }

    public double Value(string name, params (string Key, string Value)[] labels) =>
        Find(name, labels) is { } sample ? sample.Value : throw new KeyNotFoundException($"No sample {name} with labels {string.Join(",", labels)}.");

    public PrometheusSample? Find(string name, params (string Key, string Value)[] labels) =>
        _samples.FirstOrDefault(s => s.Name == name
            && s.Labels.Count == labels.Length
            && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    public IEnumerable<PrometheusSample> SamplesOf(string name) => _samples.Where(s => s.Name == name);

    private void CheckFamily(PrometheusSample sample)
    {
        if (_types.TryGetValue(sample.Name, out var type))
        {
            if (type == "histogram")
            {
                throw new FormatException($"Histogram {sample.Name} needs _bucket/_sum/_count samples.");
            }

            return;
        }

        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sample.Name.EndsWith(suffix, StringComparison.Ordinal)
                && _types.TryGetValue(sample.Name[..^suffix.Length], out var baseType)
                && baseType is "histogram" or "summary")
            {
                if (suffix == "_bucket" && !sample.Labels.ContainsKey("le"))
                {
                    throw new FormatException($"Bucket sample {sample.Name} lacks an le label.");
                }

                return;
            }
        }

        throw new FormatException($"Sample {sample.Name} appears before or without its TYPE line.");
    }

    private static (string Name, string Remainder) SplitName(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? text : text[..space];
        CheckMetricName(name);
        return (name, space < 0 ? string.Empty : text[(space + 1)..]);
    }

    private static PrometheusSample ParseSample(string line)
    {
        var index = 0;
        while (index < line.Length && line[index] is not ('{' or ' '))
        {
            index++;
        }

        var name = line[..index];
        CheckMetricName(name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (index < line.Length && line[index] == '{')
        {
            index++;
            while (line[index] != '}')
            {
                var equals = line.IndexOf('=', index);
                var labelName = line[index..equals];
                CheckLabelName(labelName);
                if (line[equals + 1] != '"')
                {
                    throw new FormatException($"Label {labelName} value is not quoted: {line}");
                }

                var (value, next) = ReadQuoted(line, equals + 2);
                if (!labels.TryAdd(labelName, value))
                {
                    throw new FormatException($"Label {labelName} repeated: {line}");
                }

                index = next;
                if (line[index] == ',')
                {
                    index++;
                }
                else if (line[index] != '}')
                {
                    throw new FormatException($"Expected ',' or '}}' at {index}: {line}");
                }
            }

            index++;
        }

        if (index >= line.Length || line[index] != ' ')
        {
            throw new FormatException($"Missing value: {line}");
        }

        var valueText = line[(index + 1)..];
        if (valueText.Contains(' ', StringComparison.Ordinal))
        {
            throw new FormatException($"Unexpected timestamp or trailing text: {line}");
        }

        return new PrometheusSample(name, labels, ParseValue(valueText));
    }

    private static (string Value, int Next) ReadQuoted(string line, int start)
    {
        var builder = new StringBuilder();
        var i = start;
        while (line[i] != '"')
        {
            if (line[i] == '\\')
            {
                i++;
                builder.Append(line[i] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    _ => throw new FormatException($"Invalid escape \\{line[i]}: {line}"),
                });
            }
            else
            {
                builder.Append(line[i]);
            }

            i++;
        }

        return (builder.ToString(), i + 1);
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static void CheckMetricName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"Invalid metric name '{name}'.");
        }
    }

    private static void CheckLabelName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new FormatException($"Invalid label name '{name}'.");
        }
    }
}

internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
