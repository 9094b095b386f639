using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Validation.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Transforms.Validation.Passthrough;

/// <summary>
/// Reads the arguments of a REST passthrough request on a validating route, failing closed: a body is accepted only as
/// an uncompressed UTF-8 JSON object (no BOM, no duplicate names, well-formed Unicode, within the size limit), and the
/// exact bytes that were parsed are what the backend receives. The query string is forwarded re-encoded from the
/// parameters that were checked (<see cref="CanonicalQuery"/>).
/// </summary>
internal static class PassthroughBodyReader
{
    private const int ChunkBytes = 16 * 1024;

    public static async ValueTask<(CallArguments? Arguments, GatewayRejection? Rejection)> ReadAsync(HttpContext context, ArgumentLimits limits)
    {
        CanonicalQuery.Apply(context.Request);

        var request = context.Request;
        if (!HasBody(context))
        {
            return (new PassthroughArguments(null, request.Query), null);
        }

        if (PassthroughMediaType.Check(request) is { } unsupported)
        {
            return (null, unsupported);
        }

        var max = limits.MaxRequestBodyBytes;
        if (request.ContentLength > max)
        {
            return (null, PassthroughRejections.TooLarge(max));
        }

        var bytes = await ReadBoundedAsync(request.Body, max, context.RequestAborted);
        if (bytes is null)
        {
            return (null, PassthroughRejections.TooLarge(max));
        }

        // The bytes that were read (and are checked below) become the body YARP forwards, now with a known length.
        request.Body = new MemoryStream(bytes, writable: false);
        request.Headers.Remove(HeaderNames.TransferEncoding);
        request.ContentLength = bytes.Length;
        if (bytes.Length == 0)
        {
            return (new PassthroughArguments(null, request.Query), null);
        }

        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (null, PassthroughRejections.Malformed("the body starts with a UTF-8 byte order mark, which JSON forbids (RFC 8259 section 8.1); send the JSON without the BOM"));
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions
            {
                AllowDuplicateProperties = false,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
                MaxDepth = Math.Max(limits.MaxDepth, 1),
            });
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, PassthroughRejections.Malformed($"the body is not valid JSON ({ex.Message}); send one JSON object with each name once"));
        }
        catch (InvalidOperationException)
        {
            // Comparing names for duplicates unescapes them; an unpaired surrogate escape in a name fails there.
            return (null, UnpairedSurrogate());
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, PassthroughRejections.Malformed($"the body is a JSON {body.ValueKind.ToString().ToLowerInvariant()}, not an object; send a JSON object with the arguments as properties"));
        }

        if (!IsWellFormedUnicode(bytes))
        {
            return (null, UnpairedSurrogate());
        }

        return (new PassthroughArguments(body, request.Query), null);
    }

    /// <summary>The same question YARP's forwarder asks before it sends a request body.</summary>
    private static bool HasBody(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { } detection)
        {
            return detection.CanHaveBody;
        }

        var request = context.Request;
        return request.ContentLength > 0
            || string.Equals(request.Headers.TransferEncoding, "chunked", StringComparison.OrdinalIgnoreCase);
    }

    private static GatewayRejection UnpairedSurrogate() =>
        PassthroughRejections.Malformed("the body holds a string or name that is not well-formed Unicode (an unpaired surrogate escape such as \\ud800, or invalid UTF-8); send well-formed UTF-8 text");

    /// <returns>The body, or null as soon as it grows past <paramref name="max"/> bytes (nothing more is read).</returns>
    private static async ValueTask<byte[]?> ReadBoundedAsync(Stream body, long max, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellation)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static bool IsWellFormedUnicode(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        char[]? scratch = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (!reader.ValueIsEscaped && System.Text.Ascii.IsValid(reader.ValueSpan))
                {
                    continue;
                }

                var length = reader.ValueSpan.Length;
                if (scratch is null || scratch.Length < length)
                {
                    if (scratch is not null)
                    {
                        ArrayPool<char>.Shared.Return(scratch);
                    }

                    scratch = ArrayPool<char>.Shared.Rent(length);
                }

                reader.CopyString(scratch);
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<char>.Shared.Return(scratch);
            }
        }
    }
}
