namespace Gateway.Proxy.Hosting;

/// <summary>
/// With a management port: the management listener serves only the probe and operator endpoints, and the main listener
/// answers the operator endpoints 404, as if they did not exist. Runs after routing, before authentication.
/// </summary>
public sealed class ManagementPortMiddleware(RequestDelegate next, ManagementListener listener)
{
    public Task InvokeAsync(HttpContext context)
    {
        var kind = ManagementEndpointMetadata.Of(context);
        var allowed = listener.IsManagementConnection(context) ? kind is not null : kind != ManagementEndpointKind.Operator;
        if (allowed)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}
