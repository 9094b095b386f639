using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Transforms.Validation.Json;

/// <summary>
/// The one rule for reading JSON that comes from callers (MCP messages, tool arguments, the REST facade):
/// System.Text.Json with duplicate keys refused (<see cref="JsonDocumentOptions.AllowDuplicateProperties"/>) and
/// nesting bounded, plus a check that every string is valid Unicode and every number fits a double. So a value is
/// validated exactly as it is forwarded: no key is read one way by a check and another way by the backend, and no
/// string fails later when it is decoded.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 64;

    private const int MaxKeyLengthInMessages = 100;

    /// <summary>The parser settings every entry point shares.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = MaxDepth };

    private static readonly JsonDocumentOptions s_diagnosticOptions = new() { AllowDuplicateProperties = true, MaxDepth = MaxDepth };

    /// <summary>
    /// Parses <paramref name="utf8"/>. The document may reference <paramref name="utf8"/>: keep the memory alive and
    /// unchanged until the document is disposed.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out StrictJsonError? error)
    {
        document = null;
        if (IsBlank(utf8.Span))
        {
            error = new StrictJsonError(StrictJsonErrorKind.Empty, "$", null, "The body is empty; send one JSON value.");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Duplicate detection decodes keys, so an undecodable key surfaces here as InvalidOperationException.
            error = Diagnose(utf8, ex);
            return false;
        }

        if (HasOnlyWellFormedValues(utf8.Span))
        {
            error = null;
            return true;
        }

        error = Locate(document.RootElement, "$") ?? new StrictJsonError(StrictJsonErrorKind.InvalidString, "$", null, "The body holds a string that is not valid Unicode.");
        document.Dispose();
        document = null;
        return false;
    }

    /// <summary>The problem a parse failure came from: a duplicate key (found again, with its place) or a syntax error.</summary>
    private static StrictJsonError Diagnose(ReadOnlyMemory<byte> utf8, Exception exception)
    {
        try
        {
            using var tolerant = JsonDocument.Parse(utf8, s_diagnosticOptions);
            if (Locate(tolerant.RootElement, "$") is { } located)
            {
                return located;
            }
        }
        catch (JsonException)
        {
        }

        return new StrictJsonError(StrictJsonErrorKind.Syntax, "$", null, $"The body is not valid JSON: {exception.Message}");
    }

    /// <summary>One forward pass, no allocation for ordinary input: strings must decode, numbers must be finite.</summary>
    private static bool HasOnlyWellFormedValues(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String or JsonTokenType.PropertyName when !IsValidString(ref reader):
                    return false;
                case JsonTokenType.Number when !reader.TryGetDouble(out var number) || !double.IsFinite(number):
                    return false;
            }
        }

        return true;
    }

    private static bool IsValidString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        // Unescaping is where an unpaired \uD800 or a bad byte next to an escape shows up.
        var length = reader.ValueSpan.Length;
        var rented = length > 256 ? ArrayPool<char>.Shared.Rent(length) : null;
        try
        {
            Span<char> buffer = rented ?? stackalloc char[256];
            reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The first duplicate key, undecodable string or out-of-range number, in document order (error path only).</summary>
    private static StrictJsonError? Locate(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return InvalidString(path, $"A key of the object at {path}");
                    }

                    if (!seen.Add(name))
                    {
                        var key = Shorten(name);
                        return new StrictJsonError(StrictJsonErrorKind.DuplicateKey, path, key,
                            $"Duplicate key '{key}' in the object at {path}: each key may appear only once in a JSON object.");
                    }

                    if (Locate(property.Value, Child(path, name)) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Locate(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return InvalidString(path, $"The string at {path}");
                }

            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number)
                    ? null
                    : new StrictJsonError(StrictJsonErrorKind.NumberOutOfRange, path, null,
                        $"The number at {path} is outside the range of a double-precision number; send a smaller value or a string.");

            default:
                return null;
        }
    }

    private static StrictJsonError InvalidString(string path, string subject) =>
        new(StrictJsonErrorKind.InvalidString, path, null,
            $"{subject} is not valid Unicode (an unpaired UTF-16 surrogate escape such as \\ud800, or invalid UTF-8 bytes); send well-formed text.");

    private static string Child(string path, string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return $"{path}[{JsonSerializer.Serialize(Shorten(name))}]";
            }
        }

        return name.Length == 0 ? path + "['']" : $"{path}.{Shorten(name)}";
    }

    private static string Shorten(string name) =>
        name.Length <= MaxKeyLengthInMessages ? name : string.Concat(name.AsSpan(0, MaxKeyLengthInMessages), "…");

    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
