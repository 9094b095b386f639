using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// Puts every resource URI in an upstream's answer into the gateway's form (<see cref="GatewayResourceUri"/>), so a
/// client can read what a tool result, a prompt or a resource points at through the gateway, and never sees a URI
/// that could collide with another upstream's. The answers are the SDK's fresh copies and are changed in place.
/// </summary>
public static class UpstreamContentUris
{
    public static void Expose(string server, IEnumerable<ContentBlock>? blocks)
    {
        if (blocks is null)
        {
            return;
        }

        foreach (var block in blocks)
        {
            switch (block)
            {
                case ResourceLinkBlock link:
                    link.Uri = GatewayResourceUri.Expose(server, link.Uri);
                    break;
                case EmbeddedResourceBlock embedded when embedded.Resource is { } contents:
                    contents.Uri = GatewayResourceUri.Expose(server, contents.Uri);
                    break;
            }
        }
    }

    public static void Expose(string server, CallToolResult result) => Expose(server, result.Content);

    public static void Expose(string server, GetPromptResult result) => Expose(server, result.Messages.Select(m => m.Content));

    public static void Expose(string server, ReadResourceResult result)
    {
        foreach (var contents in result.Contents)
        {
            contents.Uri = GatewayResourceUri.Expose(server, contents.Uri);
        }
    }
}
