using System.Collections.Immutable;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Federation.Pinning;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Pinning;

/// <summary>
/// Holds back the upstream tools whose definition is not the approved one (<see cref="ToolPins"/>): a pinned tool
/// whose hash changed, or an unpinned tool of an upstream whose unpinned policy is Quarantine. Held tools stay out of
/// the catalog (so out of <c>tools/list</c> and <c>GET /tools</c>); a call to one is refused with
/// <see cref="QuarantinedTool.Rejection"/>. Each new quarantine is logged once, each release once.
/// </summary>
public sealed partial class ToolQuarantine
{
    private readonly ToolPins _pins;
    private readonly ILogger<ToolQuarantine> _logger;
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableDictionary<string, QuarantinedTool>> _servers =
        ImmutableDictionary.Create<string, ImmutableDictionary<string, QuarantinedTool>>(StringComparer.Ordinal);

    public ToolQuarantine(ToolPins pins, ILogger<ToolQuarantine> logger)
    {
        _pins = pins;
        _logger = logger;
    }

    /// <summary>Every held tool, by server.</summary>
    public IReadOnlyDictionary<string, ImmutableDictionary<string, QuarantinedTool>> Servers => Volatile.Read(ref _servers);

    public IEnumerable<QuarantinedTool> All => Servers.Values.SelectMany(s => s.Values);

    public IReadOnlyCollection<QuarantinedTool> Of(string server) =>
        Servers.TryGetValue(server, out var tools) ? tools.Values.ToList() : [];

    /// <summary>The held tool a caller asked for by its gateway name.</summary>
    public bool TryGet(string toolName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuarantinedTool? tool)
    {
        foreach (var tools in Servers.Values)
        {
            if (tools.TryGetValue(toolName, out tool))
            {
                return true;
            }
        }

        tool = null;
        return false;
    }

    /// <summary>The held tool of <paramref name="server"/> whose own name there is <paramref name="upstreamName"/>.</summary>
    public bool TryGetUpstream(string server, string upstreamName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuarantinedTool? tool)
    {
        tool = Servers.TryGetValue(server, out var tools) ? tools.Values.FirstOrDefault(t => t.UpstreamName == upstreamName) : null;
        return tool is not null;
    }

    /// <summary>
    /// Of an upstream's catalog entries (<paramref name="built"/>, from its listed tools <paramref name="listed"/>), the
    /// ones to publish; the rest are held from now on.
    /// </summary>
    public IReadOnlyList<ToolDefinition> Screen(UpstreamDefinition upstream, IReadOnlyList<Tool> listed, IReadOnlyList<ToolDefinition> built)
    {
        var pins = _pins.Current;
        var policy = upstream.Declaration.UnpinnedTools ?? _pins.DefaultUnpinned;
        var definitions = new Dictionary<string, Tool>(StringComparer.Ordinal);
        foreach (var tool in listed)
        {
            definitions.TryAdd(tool.Name, tool);
        }

        var allowed = new List<ToolDefinition>(built.Count);
        var held = ImmutableDictionary.CreateBuilder<string, QuarantinedTool>(StringComparer.Ordinal);
        foreach (var entry in built)
        {
            var upstreamName = entry.Upstream!.ToolName;
            var hash = ToolDefinitionHash.Compute(definitions[upstreamName]);
            var pin = pins.Find(upstream.Server, upstreamName);
            if (pin is null ? policy == UnpinnedToolPolicy.Allow : pin.Sha256 == hash)
            {
                allowed.Add(entry);
            }
            else
            {
                held[entry.Name] = new QuarantinedTool(entry, upstream.Server, upstreamName, hash, pin,
                    pin is null ? QuarantineReason.NotApproved : QuarantineReason.DefinitionChanged);
            }
        }

        Replace(upstream.Server, held.ToImmutable());
        return allowed;
    }

    /// <summary>The upstream is gone from routes.json: nothing of it is held any more.</summary>
    public void Forget(string server) => Replace(server, ImmutableDictionary<string, QuarantinedTool>.Empty);

    private void Replace(string server, ImmutableDictionary<string, QuarantinedTool> held)
    {
        ImmutableDictionary<string, QuarantinedTool>? previous;
        lock (_gate)
        {
            _servers.TryGetValue(server, out previous);
            Volatile.Write(ref _servers, held.IsEmpty ? _servers.Remove(server) : _servers.SetItem(server, held));
        }

        previous ??= ImmutableDictionary<string, QuarantinedTool>.Empty;
        foreach (var tool in held.Values)
        {
            // Once per change: the same definition held again (every refresh) is not news.
            if (previous.TryGetValue(tool.Tool.Name, out var before) && before.CurrentSha256 == tool.CurrentSha256 && before.Reason == tool.Reason)
            {
                continue;
            }

            if (tool.Reason == QuarantineReason.DefinitionChanged)
            {
                Log.DefinitionChanged(_logger, server, tool.UpstreamName, tool.Tool.Name, tool.Pin!.Sha256, tool.CurrentSha256, tool.ApproveCommand);
            }
            else
            {
                Log.NotApproved(_logger, server, tool.UpstreamName, tool.Tool.Name, tool.ApproveCommand);
            }
        }

        foreach (var name in previous.Keys)
        {
            if (!held.ContainsKey(name))
            {
                Log.Released(_logger, server, previous[name].UpstreamName);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3440, Level = LogLevel.Warning, Message = "Upstream '{Server}': tool '{UpstreamTool}' (served as '{ToolName}') is QUARANTINED: its definition changed since it was approved (approved sha256 {PinnedSha256}, now {CurrentSha256}); it is hidden and its calls are refused until an operator reviews it and runs: {ApproveCommand}")]
        public static partial void DefinitionChanged(ILogger logger, string server, string upstreamTool, string toolName, string pinnedSha256, string currentSha256, string approveCommand);

        [LoggerMessage(EventId = 3441, Level = LogLevel.Information, Message = "Upstream '{Server}': tool '{UpstreamTool}' (served as '{ToolName}') is held until approved (unpinned tools of this upstream are quarantined); approve it with: {ApproveCommand}")]
        public static partial void NotApproved(ILogger logger, string server, string upstreamTool, string toolName, string approveCommand);

        [LoggerMessage(EventId = 3442, Level = LogLevel.Information, Message = "Upstream '{Server}': tool '{UpstreamTool}' is released from quarantine (its definition is approved, or it is gone)")]
        public static partial void Released(ILogger logger, string server, string upstreamTool);
    }
}
