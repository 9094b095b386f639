using System.Text.Json;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Metadata;

/// <summary>
/// OAuth 2.0 Protected Resource Metadata (RFC 9728), as the MCP authorization spec requires: at the well-known path
/// for the origin, and path-suffixed for the MCP endpoint (<c>/.well-known/oauth-protected-resource/mcp</c>).
/// </summary>
public static class ProtectedResourceMetadataEndpoints
{
    public static IEndpointRouteBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ResourceIdentity.MetadataPath, context => WriteAsync(context, mcp: false)).WithDisplayName("Protected resource metadata");
        endpoints.MapGet(ResourceIdentity.MetadataPath + ResourceIdentity.McpPath, context => WriteAsync(context, mcp: true))
            .WithDisplayName("Protected resource metadata (MCP)");
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context, bool mcp)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var resource = services.GetRequiredService<ResourceIdentity>();
        var requirements = services.GetRequiredService<RouteAccessRequirements>();

        if (resource.HasPublicOrigin)
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
        }
        else
        {
            // Built from the request's Host: a shared cache must neither keep it nor serve it for another Host.
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Vary = "Host";
        }

        if (!resource.TryGetResource(context.Request, mcp, out var resourceUrl))
        {
            await RejectionWriter.WriteAsync(context, new GatewayRejection(StatusCodes.Status400BadRequest, "InvalidHost",
                "This gateway does not publish metadata for the requested Host. Operators: set Gateway:Auth:PublicOrigin (MCP_GATEWAY_PUBLIC_ORIGIN), " +
                "or list the host in AllowedHosts.", RejectionKind.ProtocolError));
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("resource", resourceUrl);
        writer.WriteStartArray("authorization_servers");
        foreach (var server in AuthorizationServers(options))
        {
            writer.WriteStringValue(server);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("scopes_supported");
        foreach (var scope in options.ScopesSupported.Concat(requirements.RequiredScopes()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(scope);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("bearer_methods_supported");
        writer.WriteStringValue("header");
        writer.WriteEndArray();
        writer.WriteString("resource_name", "MCP Gateway");
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static IEnumerable<string> AuthorizationServers(SecurityOptions options) =>
        options.Oidc.AuthorizationServers.Count > 0
            ? options.Oidc.AuthorizationServers
            : options.OidcConfigured ? [options.Oidc.Issuer!] : [];
}
