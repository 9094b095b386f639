using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>Writes timestamps as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC, whatever offset they carry.</summary>
public sealed class UtcMillisecondTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[Format.Length];
        value.UtcDateTime.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
