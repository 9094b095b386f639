using Gateway.Transforms.Federation;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// Puts every resource URI in an upstream's answer into the form clients see (<see cref="FederatedResourceUris.Expose"/>),
/// so a client can read what a tool result, a prompt or a resource points at through the gateway, and never sees a URI
/// that could collide with another upstream's. The answers are the SDK's fresh copies and are changed in place.
/// </summary>
public static class UpstreamContentUris
{
    public static void Expose(UpstreamDefinition upstream, IEnumerable<ContentBlock>? blocks)
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
                    link.Uri = FederatedResourceUris.Expose(upstream, link.Uri);
                    break;
                case EmbeddedResourceBlock embedded when embedded.Resource is { } contents:
                    contents.Uri = FederatedResourceUris.Expose(upstream, contents.Uri);
                    break;
            }
        }
    }

    public static void Expose(UpstreamDefinition upstream, CallToolResult result) => Expose(upstream, result.Content);

    public static void Expose(UpstreamDefinition upstream, GetPromptResult result) => Expose(upstream, result.Messages.Select(m => m.Content));

    public static void Expose(UpstreamDefinition upstream, ReadResourceResult result)
    {
        foreach (var contents in result.Contents)
        {
            contents.Uri = FederatedResourceUris.Expose(upstream, contents.Uri);
        }
    }
}
