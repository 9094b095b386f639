using Microsoft.AspNetCore.Http;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Transforms.Pipeline;

/// <summary>Renders a rejection for REST callers: the status code, any headers, and a JSON error body.</summary>
public static class RejectionWriter
{
    // An application/json answer is never embedded in HTML: quotes and apostrophes in messages stay readable
    // ('path' rather than \u0027path\u0027); JSON's own escapes (", \, controls) still apply.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, GatewayRejection rejection)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = rejection.StatusCode;
        if (rejection.Headers is not null)
        {
            foreach (var (name, value) in rejection.Headers)
            {
                context.Response.Headers[name] = value;
            }
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, s_options);
        writer.WriteStartObject();
        writer.WriteString("error", rejection.Code);
        writer.WriteString("message", rejection.Message);
        writer.WriteString("request_id", context.TraceIdentifier);
        if (rejection.Data is not null)
        {
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, rejection.Data, GatewayJsonContext.Default.IReadOnlyDictionaryStringObject);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
