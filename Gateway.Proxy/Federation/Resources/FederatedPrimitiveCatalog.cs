using System.Collections.Immutable;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>A federated prompt: the upstream it comes from, its name there, and how it is listed (under its gateway name).</summary>
public sealed record FederatedPrompt(string Server, string UpstreamName, Prompt Listed);

/// <summary>An upstream's resource or template as listed by the gateway (its URIs in the gateway's form).</summary>
public sealed record FederatedResource(string Server, Resource Listed);

public sealed record FederatedResourceTemplate(string Server, ResourceTemplate Listed);

/// <summary>One published state of every upstream's resources, templates and prompts.</summary>
public sealed class FederatedPrimitives
{
    public static readonly FederatedPrimitives Empty = new([], [], ImmutableDictionary<string, FederatedPrompt>.Empty, []);

    public FederatedPrimitives(
        IReadOnlyList<FederatedResource> resources,
        IReadOnlyList<FederatedResourceTemplate> templates,
        IReadOnlyDictionary<string, FederatedPrompt> promptsByName,
        IReadOnlyList<FederatedPrompt> prompts)
    {
        Resources = resources;
        Templates = templates;
        PromptsByName = promptsByName;
        Prompts = prompts;
    }

    public IReadOnlyList<FederatedResource> Resources { get; }

    public IReadOnlyList<FederatedResourceTemplate> Templates { get; }

    public IReadOnlyList<FederatedPrompt> Prompts { get; }

    public IReadOnlyDictionary<string, FederatedPrompt> PromptsByName { get; }
}

/// <summary>Which lists a change touched, to send clients only the list_changed notifications that apply.</summary>
[Flags]
public enum FederatedListChange
{
    None = 0,
    Resources = 1,
    Prompts = 2,
}

/// <summary>
/// The resources, resource templates and prompts of every upstream, beside the tool catalog: each upstream's lists are
/// replaced whole when it is read again, and composed in server-name order. Prompt names are namespaced like tool names;
/// a name two upstreams would both publish goes to the first in that order, and the other's is left out (reported to
/// the caller of <see cref="Publish"/>). Resource URIs cannot collide: each carries its server (<see cref="GatewayResourceUri"/>).
/// </summary>
public sealed class FederatedPrimitiveCatalog
{
    private static readonly JsonSerializerOptions s_json = McpJsonUtilities.DefaultOptions;

    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<string, Lists> _upstreams = ImmutableSortedDictionary.Create<string, Lists>(StringComparer.Ordinal);
    private FederatedPrimitives _current = FederatedPrimitives.Empty;

    public FederatedPrimitives Current => Volatile.Read(ref _current);

    /// <summary>Raised after a change to what is listed (not after a refresh that found the same lists).</summary>
    public event Action<FederatedListChange>? Changed;

    /// <summary>Publishes an upstream's lists (as the upstream gave them) in place of its previous ones; returns the prompt names left out.</summary>
    /// <param name="exposeUri">The URI clients see for an upstream URI; default <c>mcp-gateway://{server}/{uri}</c>.</param>
    public IReadOnlyList<string> Publish(string server, Func<string, string> promptName, UpstreamPrimitives primitives, Func<string, string>? exposeUri = null)
    {
        exposeUri ??= uri => GatewayResourceUri.Expose(server, uri);
        var lists = new Lists(
            primitives.Resources.Select(r => new FederatedResource(server, Present(r, exposeUri))).ToArray(),
            primitives.Templates.Select(t => new FederatedResourceTemplate(server, Present(t, exposeUri))).ToArray(),
            primitives.Prompts.Select(p => new FederatedPrompt(server, p.Name, Present(p, promptName(p.Name)))).ToArray());
        return Update(server, lists);
    }

    public void Remove(string server) => Update(server, null);

    private IReadOnlyList<string> Update(string server, Lists? lists)
    {
        FederatedListChange change;
        List<string> dropped;
        lock (_gate)
        {
            var previous = _upstreams.GetValueOrDefault(server);
            change = ((previous?.ResourcesText ?? string.Empty) != (lists?.ResourcesText ?? string.Empty) ? FederatedListChange.Resources : FederatedListChange.None)
                | ((previous?.PromptsText ?? string.Empty) != (lists?.PromptsText ?? string.Empty) ? FederatedListChange.Prompts : FederatedListChange.None);
            _upstreams = lists is null ? _upstreams.Remove(server) : _upstreams.SetItem(server, lists);
            (var composed, dropped) = Compose(server);
            Volatile.Write(ref _current, composed);
        }

        if (change != FederatedListChange.None)
        {
            Changed?.Invoke(change);
        }

        return dropped;
    }

    private (FederatedPrimitives, List<string>) Compose(string server)
    {
        var resources = new List<FederatedResource>();
        var templates = new List<FederatedResourceTemplate>();
        var prompts = new List<FederatedPrompt>();
        var byName = new Dictionary<string, FederatedPrompt>(StringComparer.Ordinal);
        var dropped = new List<string>();
        foreach (var (upstream, lists) in _upstreams)
        {
            resources.AddRange(lists.Resources);
            templates.AddRange(lists.Templates);
            foreach (var prompt in lists.Prompts)
            {
                if (byName.TryAdd(prompt.Listed.Name, prompt))
                {
                    prompts.Add(prompt);
                }
                else if (upstream == server)
                {
                    dropped.Add(prompt.Listed.Name);
                }
            }
        }

        return (new FederatedPrimitives(resources, templates, byName.ToImmutableDictionary(StringComparer.Ordinal), prompts), dropped);
    }

    private static Resource Present(Resource resource, Func<string, string> exposeUri)
    {
        var copy = Copy(resource);
        copy.Uri = exposeUri(resource.Uri);
        return copy;
    }

    private static ResourceTemplate Present(ResourceTemplate template, Func<string, string> exposeUri)
    {
        var copy = Copy(template);
        copy.UriTemplate = exposeUri(template.UriTemplate);
        return copy;
    }

    private static Prompt Present(Prompt prompt, string name)
    {
        var copy = Copy(prompt);
        copy.Name = name;
        return copy;
    }

    private static T Copy<T>(T value) =>
        (T)JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, s_json.GetTypeInfo(typeof(T))), s_json.GetTypeInfo(typeof(T)))!;

    private sealed class Lists(FederatedResource[] resources, FederatedResourceTemplate[] templates, FederatedPrompt[] prompts)
    {
        public FederatedResource[] Resources { get; } = resources;

        public FederatedResourceTemplate[] Templates { get; } = templates;

        public FederatedPrompt[] Prompts { get; } = prompts;

        public string ResourcesText { get; } = Text(resources.Select(r => r.Listed)) + Text(templates.Select(t => t.Listed));

        public string PromptsText { get; } = Text(prompts.Select(p => p.Listed));

        private static string Text<T>(IEnumerable<T> items) =>
            string.Join('\n', items.Select(i => JsonSerializer.Serialize(i, s_json.GetTypeInfo(typeof(T)))));
    }
}
