namespace Gateway.Transforms.Federation;

/// <summary>How the gateway talks to an upstream MCP server.</summary>
public enum UpstreamTransport
{
    /// <summary>MCP Streamable HTTP (POST and optional GET stream on one endpoint), sent to the cluster's destinations.</summary>
    StreamableHttp,

    /// <summary>A local process the gateway starts and supervises, speaking MCP over its stdin and stdout.</summary>
    Stdio,

    /// <summary>
    /// The legacy HTTP+SSE transport of protocol 2024-11-05: a GET stream on <c>Path</c> whose <c>endpoint</c> event names
    /// where to POST messages, sent to the cluster's destinations like Streamable HTTP.
    /// </summary>
    Sse,
}
