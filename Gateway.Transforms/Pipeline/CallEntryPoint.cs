namespace Gateway.Transforms.Pipeline;

/// <summary>Where a call came in. Policy is the same for all; only the rendering of the outcome differs.</summary>
public enum CallEntryPoint
{
    /// <summary>MCP <c>tools/call</c> over Streamable HTTP or legacy HTTP+SSE.</summary>
    Mcp,

    /// <summary>The REST facade, <c>POST /tools/call</c>.</summary>
    RestFacade,

    /// <summary>A REST request on a passthrough route.</summary>
    Passthrough,
}
