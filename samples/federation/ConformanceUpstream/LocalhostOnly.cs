using System.Net;

namespace ConformanceUpstream;

/// <summary>
/// DNS-rebinding protection for a server that listens on loopback without authentication: a request whose Host (or
/// Origin, when sent) names anything but localhost, 127.0.0.1 or [::1] is refused with 403, so a web page on a
/// rebinding domain cannot reach it.
/// </summary>
public sealed class LocalhostOnly(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (!IsLocal(context.Request.Host.Host) || (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLocal(uri.Host))))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("Forbidden: this server answers only requests addressed to localhost.");
        }

        return next(context);
    }

    private static bool IsLocal(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
