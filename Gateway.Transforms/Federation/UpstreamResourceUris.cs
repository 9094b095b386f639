namespace Gateway.Transforms.Federation;

/// <summary>How the gateway shows an upstream's resource URIs to clients (<c>Resources.Uris</c> of its routes.json entry).</summary>
public enum UpstreamResourceUris
{
    /// <summary><c>mcp-gateway://{server}/{upstream URI}</c>: apart from every other upstream's (the default).</summary>
    Prefixed,

    /// <summary>
    /// The upstream's own URIs, as it lists them; a URI in no gateway form is sent to this upstream. At most one upstream
    /// may have it (two could list the same URI); its resources keep their <c>mcp-gateway://</c> form as well.
    /// </summary>
    Verbatim,
}
