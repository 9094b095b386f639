using System.Text;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Validation.Passthrough;

/// <summary>
/// Rebuilds the outgoing query string from the parameters the gateway parsed and checked, every key and value
/// percent-encoded except RFC 3986 unreserved characters. A backend therefore cannot split it differently (';' as a
/// separator, '+' or a malformed escape read another way): it decodes exactly the values that were validated.
/// </summary>
internal static class CanonicalQuery
{
    public static void Apply(RequestTransformContext context)
    {
        var request = context.HttpContext.Request;
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

        // YARP builds the destination from context.Query after all request transforms; a carrier request holds ours.
        var carrier = new DefaultHttpContext();
        carrier.Request.QueryString = new QueryString(text.Length == 0 ? null : text.ToString());
        context.Query = new QueryTransformContext(carrier.Request);
    }
}
