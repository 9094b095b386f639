using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// Reads the header and the claim names of a compact JWS without verifying it. Used only to classify a token
/// before the real validation; nothing read here grants access.
/// </summary>
public static class JwtInspector
{
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>False when the token is not a compact JWS (three base64url parts with JSON-object header and payload).</summary>
    public static bool TryInspect(string token, IReadOnlyList<string> requiredClaims, out JwtShape shape)
    {
        shape = default;
        if (token.Length is 0 or > MaxTokenLength)
        {
            return false;
        }

        var span = token.AsSpan();
        var firstDot = span.IndexOf('.');
        if (firstDot <= 0)
        {
            return false;
        }

        var rest = span[(firstDot + 1)..];
        var secondDot = rest.IndexOf('.');
        if (secondDot <= 0 || rest[(secondDot + 1)..].Contains('.'))
        {
            return false;
        }

        if (!TryReadHeader(span[..firstDot], out var header))
        {
            return false;
        }

        Span<bool> present = stackalloc bool[requiredClaims.Count];
        if (!TryReadClaimPresence(rest[..secondDot], requiredClaims, present))
        {
            return false;
        }

        string? missing = null;
        for (var i = 0; i < present.Length; i++)
        {
            if (!present[i])
            {
                missing = requiredClaims[i];
                break;
            }
        }

        shape = new JwtShape(header.Algorithm, header.KeyId, missing, header.TokenType, header.Violation);
        return true;
    }

    private static bool TryReadHeader(ReadOnlySpan<char> encoded, out JoseHeader header)
    {
        header = default;
        if (!TryOpenObject(encoded, out var rented, out var reader))
        {
            return false;
        }

        try
        {
            return JoseHeader.TryRead(ref reader, out header);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryReadClaimPresence(ReadOnlySpan<char> encoded, IReadOnlyList<string> requiredClaims, Span<bool> present)
    {
        if (!TryOpenObject(encoded, out var rented, out var reader))
        {
            return false;
        }

        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOf(ref reader, requiredClaims);
                if (!reader.Read())
                {
                    return false;
                }

                if (index >= 0)
                {
                    present[index] = HasValue(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decodes one base64url segment into a pooled buffer and positions a reader inside its top-level object; the caller
    /// returns <paramref name="rented"/> to the pool.
    /// </summary>
    private static bool TryOpenObject(ReadOnlySpan<char> encoded, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? rented, out Utf8JsonReader reader)
    {
        rented = null;
        reader = default;
        if (!Base64Url.IsValid(encoded))
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encoded.Length));
        try
        {
            if (Base64Url.TryDecodeFromChars(encoded, buffer, out var length))
            {
                reader = new Utf8JsonReader(buffer.AsSpan(0, length));
                if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    rented = buffer;
                    return true;
                }
            }
        }
        catch (JsonException)
        {
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    private static int IndexOf(ref Utf8JsonReader reader, IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A claim counts as present when it is a non-empty string, a number, or an array with at least one element.</summary>
    private static bool HasValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.ValueSpan.Length > 0 || reader.HasValueSequence;
            case JsonTokenType.Number:
                return true;
            case JsonTokenType.StartArray:
                var depth = reader.CurrentDepth;
                var hasElement = reader.Read() && reader.TokenType != JsonTokenType.EndArray;
                while (reader.CurrentDepth > depth || reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!reader.Read())
                    {
                        return false;
                    }
                }

                return hasElement;
            default:
                reader.Skip();
                return false;
        }
    }
}
