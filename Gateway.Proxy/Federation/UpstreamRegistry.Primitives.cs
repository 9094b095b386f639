using Gateway.Proxy.Federation.Resources;

namespace Gateway.Proxy.Federation;

/// <summary>The upstreams' resources, templates and prompts, read with their tools and kept in <see cref="FederatedPrimitiveCatalog"/>.</summary>
public sealed partial class UpstreamRegistry
{
    /// <summary>Raised with the server and the upstream's own URI when an upstream reports a subscribed resource updated.</summary>
    public event Action<string, string>? ResourceUpdated;

    /// <summary>
    /// Raised when an upstream gets a new session object: it appeared, or a reload changed its entry (the old
    /// session, and the subscriptions made on it, end).
    /// </summary>
    public event Action<UpstreamSession>? SessionStarted;

    private void WatchPrimitives(Entry entry)
    {
        var server = entry.Session.Upstream.Server;
        entry.Session.PrimitivesChanged += entry.Signal;
        entry.Session.ResourceUpdated += uri => ResourceUpdated?.Invoke(server, uri);
        SessionStarted?.Invoke(entry.Session);
    }

    /// <summary>
    /// Reads the upstream's other lists after its tools. A failure here keeps the last lists (like tools) but does not
    /// fail the tool refresh: an upstream whose prompts cannot be listed still serves its tools.
    /// </summary>
    private async Task RefreshPrimitivesAsync(Entry entry, CancellationToken cancellationToken)
    {
        var upstream = entry.Session.Upstream;
        UpstreamPrimitives all, listed;
        try
        {
            all = await entry.Session.ListPrimitivesAsync(cancellationToken);
            listed = Screen(upstream, all);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            PrimitivesLog.RefreshFailed(_logger, upstream.Server, ex.Message);
            return;
        }

        IReadOnlyList<string> dropped;
        lock (_gate)
        {
            if (!_entries.TryGetValue(upstream.Server, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            dropped = _primitives.Publish(upstream.Server, upstream.Names.Expose, listed, uri => FederatedResourceUris.Expose(upstream, uri));
        }

        var report = string.Join("\n", dropped) + $"|{listed.Resources.Count}|{listed.Templates.Count}|{listed.Prompts.Count}"
            + $"|{all.Resources.Count}|{all.Templates.Count}|{all.Prompts.Count}";
        if (report != entry.LastPrimitivesReport)
        {
            entry.LastPrimitivesReport = report;
            foreach (var name in dropped)
            {
                PrimitivesLog.PromptLeftOut(_logger, upstream.Server, name);
            }

            PrimitivesLog.Listed(_logger, upstream.Server, listed.Resources.Count, listed.Templates.Count, listed.Prompts.Count - dropped.Count);
            if (all.Resources.Count + all.Templates.Count + all.Prompts.Count > listed.Resources.Count + listed.Templates.Count + listed.Prompts.Count)
            {
                PrimitivesLog.LeftOutByLists(_logger, upstream.Server, all.Resources.Count - listed.Resources.Count,
                    all.Templates.Count - listed.Templates.Count, all.Prompts.Count - listed.Prompts.Count);
            }
        }
    }

    /// <summary>What the upstream's <c>Resources</c> and <c>Prompts</c> lists let through; the rest is never listed.</summary>
    private static UpstreamPrimitives Screen(Gateway.Transforms.Federation.UpstreamDefinition upstream, UpstreamPrimitives listed) =>
        new(
            listed.Resources.Where(r => upstream.ResourceFilter.AllowsUri(r.Uri)).ToArray(),
            listed.Templates.Where(t => upstream.ResourceFilter.AllowsTemplate(t.UriTemplate)).ToArray(),
            listed.Prompts.Where(p => upstream.PromptFilter.Allows(p.Name)).ToArray());

    private static partial class PrimitivesLog
    {
        [LoggerMessage(EventId = 3470, Level = LogLevel.Information, Message = "Upstream '{Server}': its Resources/Prompts lists leave out {ResourceCount} resources, {TemplateCount} resource templates and {PromptCount} prompts it lists")]
        public static partial void LeftOutByLists(ILogger logger, string server, int resourceCount, int templateCount, int promptCount);

        [LoggerMessage(EventId = 3431, Level = LogLevel.Information, Message = "Upstream '{Server}': {ResourceCount} resources, {TemplateCount} resource templates and {PromptCount} prompts federated")]
        public static partial void Listed(ILogger logger, string server, int resourceCount, int templateCount, int promptCount);

        [LoggerMessage(EventId = 3432, Level = LogLevel.Warning, Message = "Upstream '{Server}': prompt '{Name}' is left out: another upstream earlier in name order already has a prompt of that name")]
        public static partial void PromptLeftOut(ILogger logger, string server, string name);

        [LoggerMessage(EventId = 3433, Level = LogLevel.Warning, Message = "Upstream '{Server}': could not list its resources or prompts ({Error}); the last known ones stay listed and the gateway tries again")]
        public static partial void RefreshFailed(ILogger logger, string server, string error);
    }
}
