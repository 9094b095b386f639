using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Validation.Passthrough;

/// <summary>
/// Rebuilds the outgoing query string from the parameters the gateway parsed and checked, every key and value
/// percent-encoded except RFC 3986 unreserved characters. A backend therefore cannot split it differently (';' as a
/// separator, '+' or a malformed escape read another way): it decodes exactly the values that were validated.
/// </summary>
internal static class CanonicalQuery
{
    public static void Apply(HttpRequest request)
    {
        if (!request.QueryString.HasValue)
        {
            return;
        }

        var text = new StringBuilder(request.QueryString.Value!.Length + 16);
        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values)
            {
                text.Append(text.Length == 0 ? '?' : '&')
                    .Append(Uri.EscapeDataString(key))
                    .Append('=')
                    .Append(Uri.EscapeDataString(value ?? string.Empty));
            }
        }

        // YARP builds the destination's query from this when it forwards the request.
        request.QueryString = new QueryString(text.Length == 0 ? null : text.ToString());
    }
}
