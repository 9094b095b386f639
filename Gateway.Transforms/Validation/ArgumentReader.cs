using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Validation;

/// <summary>
/// Gives validating transforms the call's arguments: a tool call's own arguments, or, on a REST passthrough route, the
/// JSON object body (falling back to query parameters). A passthrough body is read once, bounded, and re-attached to the
/// outgoing request, because YARP has already captured the original stream.
/// </summary>
public static class ArgumentReader
{
    public const long MaxPassthroughBodyBytes = 1_048_576;

    public static async ValueTask<JsonElement> ReadAsync(RequestTransformContext context)
    {
        var http = context.HttpContext;
        if (http.Features.Get<ToolCallFeature>() is { } toolCall)
        {
            return toolCall.Arguments;
        }

        if (http.Features.Get<PassthroughArguments>() is { } cached)
        {
            return cached.Arguments;
        }

        var arguments = await ReadPassthroughAsync(context);
        http.Features.Set(new PassthroughArguments(arguments));
        return arguments;
    }

    private static async ValueTask<JsonElement> ReadPassthroughAsync(RequestTransformContext context)
    {
        var request = context.HttpContext.Request;
        if (request.ContentType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase) && context.ProxyRequest.Content is not null)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.CancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxPassthroughBodyBytes)
                {
                    throw new BadHttpRequestException($"The JSON body exceeds {MaxPassthroughBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
                }

                buffer.Write(chunk, 0, read);
            }

            var bytes = buffer.ToArray();
            var replacement = new ByteArrayContent(bytes);
            foreach (var header in context.ProxyRequest.Content.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            replacement.Headers.ContentType ??= MediaTypeHeaderValue.Parse(type);
            context.ProxyRequest.Content = replacement;
            try
            {
                using var document = JsonDocument.Parse(bytes);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
            }
        }

        return QueryAsObject(request.Query);
    }

    private static JsonElement QueryAsObject(IQueryCollection query)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, values) in query)
            {
                writer.WriteString(key, values.ToString());
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private sealed record PassthroughArguments(JsonElement Arguments);
}
