using System.Buffers;
using System.Text.Json;
using Gateway.Transforms.Validation.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Requests;

/// <summary>
/// The body of a tool-call entry point (<c>/mcp</c>, <c>/messages</c>, <c>/tools/call</c>) read once into pooled
/// memory and parsed with <see cref="StrictJson"/>. The size limit applies while reading: a declared
/// Content-Length over it is refused before a byte is read, and a chunked body stops being read at the limit, so
/// the gateway never buffers more than the limit. Dispose to return the memory.
/// </summary>
public sealed class JsonRequest : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;

    private byte[]? _buffer;
    private int _length;

    private JsonRequest(byte[]? buffer, int length, JsonDocument? document, JsonRequestFailure failure, StrictJsonError? jsonError)
    {
        _buffer = buffer;
        _length = length;
        Document = document;
        Failure = failure;
        JsonError = jsonError;
    }

    /// <summary>The parsed body; null when <see cref="Failure"/> is not <see cref="JsonRequestFailure.None"/>.</summary>
    public JsonDocument? Document { get; }

    public JsonRequestFailure Failure { get; }

    public StrictJsonError? JsonError { get; }

    /// <summary>The raw bytes that were read (empty when the body was too large).</summary>
    public ReadOnlyMemory<byte> Body => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    public static async Task<JsonRequest> ReadAsync(HttpContext context, long limit)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, Array.MaxLength - 1L);
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return Refused(context, JsonRequestFailure.TooLarge);
        }

        // Kestrel enforces the same limit on the connection, so it neither reads nor drains past it after we answer.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var capacity = (int)Math.Min(limit + 1, request.ContentLength is { } declared ? declared + 1 : InitialBufferSize);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // One byte beyond the limit is enough to know the body is too large.
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, (int)Math.Min(buffer.Length - length, limit + 1 - length)), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return Refused(context, JsonRequestFailure.TooLarge);
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return Refused(context, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? JsonRequestFailure.TooLarge : JsonRequestFailure.Incomplete);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return StrictJson.TryParse(buffer.AsMemory(0, length), out var document, out var error)
            ? new JsonRequest(buffer, length, document, JsonRequestFailure.None, null)
            : new JsonRequest(buffer, length, null, JsonRequestFailure.InvalidJson, error);
    }

    public void Dispose()
    {
        Document?.Dispose();
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _length = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An unread or partly read body: the connection is closed after the answer instead of draining the rest.</summary>
    private static JsonRequest Refused(HttpContext context, JsonRequestFailure failure)
    {
        // HTTP/2 and HTTP/3 have no Connection header; there Kestrel resets the stream whose body was left unread.
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return new JsonRequest(null, 0, null, failure, null);
    }
}
