using System.Text.Json.Nodes;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// The gateway's answers to <c>resources/list</c>, <c>resources/templates/list</c>, <c>resources/read</c>,
/// <c>prompts/list</c>, <c>prompts/get</c> and <c>completion/complete</c>: the union over the upstreams, each caller
/// seeing only the upstreams whose guards let it in, and every read, prompt and completion sent upstream through
/// <see cref="UpstreamRequestGuard"/> with its URIs and names mapped back and forth.
/// </summary>
public sealed class FederatedPrimitiveRequests
{
    private readonly FederatedPrimitiveCatalog _catalog;
    private readonly UpstreamRequestGuard _guard;
    private readonly FederatedResourceUris _uris;

    public FederatedPrimitiveRequests(FederatedPrimitiveCatalog catalog, UpstreamRequestGuard guard, FederatedResourceUris uris)
    {
        _catalog = catalog;
        _guard = guard;
        _uris = uris;
    }

    public async Task<ListResourcesResult> ListResourcesAsync(HttpContext caller)
    {
        var visible = new VisibleServers(_guard, caller);
        var resources = new List<Resource>();
        foreach (var resource in _catalog.Current.Resources)
        {
            if (await visible.IncludesAsync(resource.Server))
            {
                resources.Add(resource.Listed);
            }
        }

        return new ListResourcesResult { Resources = resources };
    }

    public async Task<ListResourceTemplatesResult> ListResourceTemplatesAsync(HttpContext caller)
    {
        var visible = new VisibleServers(_guard, caller);
        var templates = new List<ResourceTemplate>();
        foreach (var template in _catalog.Current.Templates)
        {
            if (await visible.IncludesAsync(template.Server))
            {
                templates.Add(template.Listed);
            }
        }

        return new ListResourceTemplatesResult { ResourceTemplates = templates };
    }

    public async Task<ListPromptsResult> ListPromptsAsync(HttpContext caller)
    {
        var visible = new VisibleServers(_guard, caller);
        var prompts = new List<Prompt>();
        foreach (var prompt in _catalog.Current.Prompts)
        {
            if (await visible.IncludesAsync(prompt.Server))
            {
                prompts.Add(prompt.Listed);
            }
        }

        return new ListPromptsResult { Prompts = prompts };
    }

    public Task<ReadResourceResult> ReadResourceAsync(HttpContext caller, string? uri, CancellationToken cancellationToken)
    {
        if (!_uris.TryResolve(uri, out var server, out var upstreamUri))
        {
            throw _uris.Unknown(uri);
        }

        upstreamUri = _guard.UpstreamUriFor(server, upstreamUri);

        var request = new UpstreamRequest(RequestMethods.ResourcesRead, server, GatewayResourceUri.RootOf(server), upstreamUri,
            $"resource '{CallerText.Echo(uri ?? string.Empty)}'", FederatedArguments.Of(new JsonObject { ["uri"] = upstreamUri }));
        return _guard.SendAsync(caller, request, async (session, call, ct) =>
        {
            var result = await session.ReadResourceAsync(call, upstreamUri, ct);
            UpstreamContentUris.Expose(session.Upstream, result);
            return result;
        }, cancellationToken);
    }

    public Task<GetPromptResult> GetPromptAsync(HttpContext caller, GetPromptRequestParams? parameters, CancellationToken cancellationToken)
    {
        var name = parameters?.Name;
        if (name is null || !_catalog.Current.PromptsByName.TryGetValue(name, out var prompt))
        {
            throw UnknownPrompt(name);
        }

        var request = new UpstreamRequest(RequestMethods.PromptsGet, prompt.Server, name, prompt.UpstreamName,
            $"prompt '{CallerText.Echo(name)}'", FederatedArguments.Of(parameters!.Arguments));
        return _guard.SendAsync(caller, request, async (session, call, ct) =>
        {
            var result = await session.GetPromptAsync(call, prompt.UpstreamName, parameters.Arguments, ct);
            UpstreamContentUris.Expose(session.Upstream, result);
            return result;
        }, cancellationToken);
    }

    public Task<CompleteResult> CompleteAsync(HttpContext caller, CompleteRequestParams? parameters, CancellationToken cancellationToken)
    {
        if (parameters?.Ref is null || parameters.Argument is null)
        {
            throw new McpProtocolException("completion/complete requires params with a 'ref' and an 'argument'.", McpErrorCode.InvalidParams);
        }

        string server, target, upstreamName, subject;
        Reference upstreamRef;
        switch (parameters.Ref)
        {
            case PromptReference byName when byName.Name is not null && _catalog.Current.PromptsByName.TryGetValue(byName.Name, out var prompt):
                (server, target, upstreamName, subject) = (prompt.Server, byName.Name, prompt.UpstreamName, $"prompt '{CallerText.Echo(byName.Name)}'");
                upstreamRef = new PromptReference { Name = prompt.UpstreamName, Title = byName.Title };
                break;
            case PromptReference byName:
                throw UnknownPrompt(byName.Name);
            case ResourceTemplateReference byUri when _uris.TryResolve(byUri.Uri, out var uriServer, out var upstreamUri):
                (server, target, upstreamName, subject) = (uriServer, GatewayResourceUri.RootOf(uriServer), upstreamUri, $"resource template '{CallerText.Echo(byUri.Uri ?? string.Empty)}'");
                upstreamRef = new ResourceTemplateReference { Uri = upstreamUri };
                break;
            case ResourceTemplateReference byUri:
                throw _uris.Unknown(byUri.Uri);
            default:
                throw new McpProtocolException($"completion/complete: unknown ref type '{CallerText.Echo(parameters.Ref.Type)}'; use ref/prompt or ref/resource.", McpErrorCode.InvalidParams);
        }

        var upstreamParameters = new CompleteRequestParams { Ref = upstreamRef, Argument = parameters.Argument, Context = parameters.Context };
        var request = new UpstreamRequest(RequestMethods.CompletionComplete, server, target, upstreamName, subject,
            FederatedArguments.Of(new JsonObject { ["argument"] = parameters.Argument.Name, ["value"] = parameters.Argument.Value }));
        request = request with { Kind = upstreamRef is PromptReference ? UpstreamPrimitiveKind.Prompt : UpstreamPrimitiveKind.ResourceTemplate };
        return _guard.SendAsync(caller, request, (session, call, ct) => session.CompleteAsync(call, upstreamParameters, ct), cancellationToken);
    }

    private static McpProtocolException UnknownPrompt(string? name) =>
        new($"Unknown prompt '{CallerText.Echo(name ?? string.Empty)}'. Call prompts/list to see the prompts available to you.", McpErrorCode.InvalidParams);

    /// <summary>The upstreams a caller may use, each decided once per list request.</summary>
    private sealed class VisibleServers(UpstreamRequestGuard guard, HttpContext caller)
    {
        private readonly Dictionary<string, bool> _decided = new(StringComparer.Ordinal);

        public async ValueTask<bool> IncludesAsync(string server)
        {
            if (!_decided.TryGetValue(server, out var allowed))
            {
                _decided[server] = allowed = await guard.MayListAsync(caller, server);
            }

            return allowed;
        }
    }
}
