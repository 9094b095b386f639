using Gateway.Transforms.Federation.Pinning;

namespace Gateway.Proxy.Federation.Pinning;

/// <summary><c>Gateway:Federation:Pinning</c>: where approved tool definitions are kept, and what happens to tools without one.</summary>
public sealed class ToolPinningOptions
{
    public const string SectionName = "Gateway:Federation:Pinning";

    /// <summary>The pin file; empty means <c>&lt;routes file name&gt;.pins.json</c> beside routes.json. Relative paths resolve against the content root.</summary>
    public string? File { get; set; }

    /// <summary>
    /// For upstreams without their own <c>Pinning.Unpinned</c>. Allow by default: federating an upstream keeps working
    /// as before until an operator pins its tools; production deployments that approve every tool set Quarantine.
    /// </summary>
    public UnpinnedToolPolicy Unpinned { get; set; } = UnpinnedToolPolicy.Allow;

    /// <summary>How often the pin file is re-read as a safety net for missed file events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
