using System.Globalization;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Turns a tag value into its label text without allocating for strings and span-formattable values.</summary>
internal static class LabelValues
{
    /// <summary>Large enough for any primitive, Guid or date; longer values fall back to ToString.</summary>
    public const int BufferLength = 128;

    public static ReadOnlySpan<char> Format(object? value, Span<char> buffer) => value switch
    {
        null => ReadOnlySpan<char>.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        ISpanFormattable formattable when formattable.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture)
            => buffer[..written],
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
