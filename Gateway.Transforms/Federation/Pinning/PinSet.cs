using System.Collections.Immutable;

namespace Gateway.Transforms.Federation.Pinning;

/// <summary>The approved tool definitions of a pin file: server → the upstream's own tool name → <see cref="ToolPin"/>.</summary>
public sealed class PinSet
{
    public static readonly PinSet Empty = new(ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, ToolPin>>(StringComparer.Ordinal));

    public PinSet(ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, ToolPin>> servers) => Servers = servers;

    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, ToolPin>> Servers { get; }

    public ToolPin? Find(string server, string upstreamTool) =>
        Servers.TryGetValue(server, out var tools) && tools.TryGetValue(upstreamTool, out var pin) ? pin : null;

    public IReadOnlyCollection<string> ToolsOf(string server) =>
        Servers.TryGetValue(server, out var tools) ? tools.Keys.ToList() : [];

    public PinSet With(string server, string upstreamTool, ToolPin pin)
    {
        var tools = Servers.TryGetValue(server, out var existing) ? existing : ImmutableSortedDictionary.Create<string, ToolPin>(StringComparer.Ordinal);
        return new PinSet(Servers.SetItem(server, tools.SetItem(upstreamTool, pin)));
    }
}
