using System.Diagnostics.CodeAnalysis;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// Which upstream a client's resource URI belongs to, and how an upstream's URIs are shown. Every upstream's URIs have
/// the form <c>mcp-gateway://{server}/{upstream URI}</c> (<see cref="GatewayResourceUri"/>); the one upstream declared
/// with <c>"Resources": { "Uris": "Verbatim" }</c> is shown with its own URIs, and any other absolute URI is sent to it,
/// so clients that know the upstream's URIs (a resource it documents, a subscription) use them through the gateway.
/// </summary>
public sealed class FederatedResourceUris
{
    private readonly UpstreamDefinitions _definitions;

    public FederatedResourceUris(UpstreamDefinitions definitions) => _definitions = definitions;

    /// <summary>The URI clients see for <paramref name="upstreamUri"/> of <paramref name="upstream"/>.</summary>
    public static string Expose(UpstreamDefinition upstream, string upstreamUri) =>
        upstream.Declaration.ResourceUris == UpstreamResourceUris.Verbatim ? upstreamUri : GatewayResourceUri.Expose(upstream.Server, upstreamUri);

    /// <summary>The upstream and its own URI for a client's URI; false when it names none (see <see cref="Unknown"/>).</summary>
    public bool TryResolve(string? uri, [NotNullWhen(true)] out string? server, [NotNullWhen(true)] out string? upstreamUri)
    {
        if (GatewayResourceUri.TryParse(uri, out server, out upstreamUri))
        {
            return true;
        }

        if (IsBareUri(uri) && Verbatim() is { } verbatim)
        {
            (server, upstreamUri) = (verbatim.Server, uri);
            return true;
        }

        (server, upstreamUri) = (null, null);
        return false;
    }

    /// <summary>The -32602 answer to a URI <see cref="TryResolve"/> placed nowhere, naming the forms this gateway takes.</summary>
    public McpProtocolException Unknown(string? uri)
    {
        var verbatim = Verbatim() is { } upstream ? $", or an absolute URI of upstream '{upstream.Server}' as it lists them" : string.Empty;
        return new McpProtocolException(
            $"Unknown resource '{CallerText.Echo(uri ?? string.Empty)}': this gateway's resource URIs have the form {GatewayResourceUri.Scheme}://{{server}}/{{the upstream's URI}}{verbatim}. Call resources/list or resources/templates/list to see them.",
            McpErrorCode.InvalidParams);
    }

    private UpstreamDefinition? Verbatim()
    {
        foreach (var upstream in _definitions.Current)
        {
            if (upstream.Declaration.ResourceUris == UpstreamResourceUris.Verbatim)
            {
                return upstream;
            }
        }

        return null;
    }

    // An absolute URI that starts with its own scheme (on Unix, .NET also takes "/path" as a file URI) and is not a
    // malformed gateway URI: those stay refused rather than sent to the verbatim upstream.
    private static bool IsBareUri([NotNullWhen(true)] string? uri) =>
        uri is { Length: > 0 }
        && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && uri.StartsWith(parsed.Scheme + ":", StringComparison.OrdinalIgnoreCase)
        && !parsed.Scheme.Equals(GatewayResourceUri.Scheme, StringComparison.OrdinalIgnoreCase);
}
