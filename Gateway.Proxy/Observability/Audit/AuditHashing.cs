using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>
/// Hashes tool arguments for the audit trail so the raw arguments never need to be stored.
/// Canonical form: object keys sorted by their UTF-8 bytes, no whitespace, strings re-escaped by
/// <see cref="Utf8JsonWriter"/>, number tokens as received (<c>1</c> and <c>1.0</c> hash differently).
/// </summary>
public static class AuditHashing
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <returns>Lower-case hex SHA-256 of the canonical JSON; an undefined element hashes like <c>null</c>.</returns>
    public static string HashArguments(JsonElement arguments)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            WriteCanonical(writer, arguments);
            writer.Flush();
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.WrittenSpan, hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (buffer.Capacity > 64 * 1024)
            {
                // One huge argument set must not pin a large buffer to this thread forever.
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Undefined:
                writer.WriteNullValue();
                break;
            case JsonValueKind.String when JsonMarshal.GetRawUtf8Value(element).Contains((byte)'\\') && !CanDecode(element):
                // A lone surrogate escape ("\ud800") is valid JSON syntax but no string: hash its source text rather than fail the call.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        var properties = ArrayPool<CanonicalProperty>.Shared.Rent(count);
        try
        {
            var index = 0;
            foreach (var property in element.EnumerateObject())
            {
                properties[index++] = new CanonicalProperty(property);
            }

            var span = properties.AsSpan(0, count);
            SortByName(span);
            writer.WriteStartObject();
            foreach (var property in span)
            {
                writer.WritePropertyName(property.Utf8Name);
                WriteCanonical(writer, property.Property.Value);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<CanonicalProperty>.Shared.Return(properties, clearArray: true);
        }
    }

    private static bool CanDecode(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static byte[] DecodedName(JsonProperty property)
    {
        try
        {
            return Encoding.UTF8.GetBytes(property.Name);
        }
        catch (InvalidOperationException)
        {
            return JsonMarshal.GetRawUtf8PropertyName(property).ToArray();
        }
    }

    private static void SortByName(Span<CanonicalProperty> properties)
    {
        // Stable insertion sort: objects are small, and duplicate keys keep their document order.
        for (var i = 1; i < properties.Length; i++)
        {
            var current = properties[i];
            var j = i - 1;
            while (j >= 0 && properties[j].Utf8Name.SequenceCompareTo(current.Utf8Name) > 0)
            {
                properties[j + 1] = properties[j];
                j--;
            }

            properties[j + 1] = current;
        }
    }

    private readonly struct CanonicalProperty(JsonProperty property)
    {
        // Escaped names ("\u0061") are rare: only those pay for decoding, so "a" and "\u0061" sort and hash alike.
        private readonly byte[]? _unescapedName = JsonMarshal.GetRawUtf8PropertyName(property).Contains((byte)'\\')
            ? DecodedName(property)
            : null;

        public JsonProperty Property { get; } = property;

        public ReadOnlySpan<byte> Utf8Name => _unescapedName ?? JsonMarshal.GetRawUtf8PropertyName(Property);
    }
}
