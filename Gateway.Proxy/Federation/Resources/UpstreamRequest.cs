using System.Text.Json;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// One request for an upstream's resource, prompt or completion, as the call pipeline and the audit see it.
/// </summary>
/// <param name="Method">The MCP method (<c>resources/read</c>, <c>prompts/get</c>…), the audit line's <c>method</c>.</param>
/// <param name="Server">The upstream.</param>
/// <param name="Target">The gateway's bounded name for what is asked: the prompt's gateway name, or the server's resource root
/// (<see cref="GatewayResourceUri.RootOf"/>); the audit line's <c>tool</c>, the metrics' <c>tool</c> label and the rate-limit partition.</param>
/// <param name="UpstreamName">The upstream's own URI or prompt name: the audit line's <c>upstream_tool</c>.</param>
/// <param name="Subject">How errors name it for the client, e.g. <c>resource 'mcp-gateway://a/x'</c>.</param>
/// <param name="Arguments">A JSON object: what the request carries (hashed into the audit line, seen by the pipeline's argument checks).</param>
public sealed record UpstreamRequest(string Method, string Server, string Target, string UpstreamName, string Subject, JsonElement Arguments)
{
    /// <summary>What <see cref="UpstreamName"/> names, for the upstream's <c>Resources</c>/<c>Prompts</c> lists; set for completions.</summary>
    public UpstreamPrimitiveKind Kind { get; init; } = Method.StartsWith("prompts/", StringComparison.Ordinal) ? UpstreamPrimitiveKind.Prompt : UpstreamPrimitiveKind.Resource;
}

/// <summary>What an upstream request asks for, as far as the upstream's <c>Resources</c> and <c>Prompts</c> lists go.</summary>
public enum UpstreamPrimitiveKind
{
    /// <summary>A resource URI (a read or a subscription).</summary>
    Resource,

    /// <summary>A resource template (a <c>ref/resource</c> completion).</summary>
    ResourceTemplate,

    /// <summary>A prompt, by its upstream name.</summary>
    Prompt,
}
