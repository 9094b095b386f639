using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Transforms.Validation.Passthrough;

/// <summary>
/// The only body a validating passthrough route accepts: <c>application/json</c> (or a <c>+json</c> type), optionally
/// with <c>charset=utf-8</c>, and no <c>Content-Encoding</c>. Anything else could carry arguments the gateway never
/// parsed, so it is refused before the body is read.
/// </summary>
internal static class PassthroughMediaType
{
    private const string Expected = "send 'Content-Type: application/json' (charset utf-8 or none) with an uncompressed JSON object body";

    public static GatewayRejection? Check(HttpRequest request)
    {
        var encodings = request.Headers.ContentEncoding;
        if (encodings.Count > 0)
        {
            return PassthroughRejections.Unsupported(
                $"the body has 'Content-Encoding: {encodings}', which this validating route does not decode (not even 'identity'); send the body uncompressed without a Content-Encoding header", "Content-Encoding");
        }

        var contentTypes = request.Headers.ContentType;
        if (contentTypes.Count == 0 || string.IsNullOrWhiteSpace(contentTypes[0]))
        {
            return PassthroughRejections.Unsupported($"the request has a body but no Content-Type; {Expected}", "Content-Type");
        }

        if (contentTypes.Count > 1 || !MediaTypeHeaderValue.TryParse(contentTypes[0], out var mediaType))
        {
            return PassthroughRejections.Unsupported($"the Content-Type '{contentTypes}' is not one valid media type; {Expected}", "Content-Type");
        }

        var type = mediaType.MediaType;
        var isJson = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson)
        {
            return PassthroughRejections.Unsupported($"the body is '{type}', which this validating route cannot check; {Expected}", "Content-Type");
        }

        foreach (var parameter in mediaType.Parameters)
        {
            if (!parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                return PassthroughRejections.Unsupported($"the Content-Type has parameter '{parameter.Name}', which this validating route does not accept; {Expected}", "Content-Type");
            }

            var charset = HeaderUtilities.RemoveQuotes(parameter.Value);
            if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                return PassthroughRejections.Unsupported($"the body's charset is '{charset}', but JSON is read as UTF-8 only; {Expected}", "Content-Type");
            }
        }

        return null;
    }
}
