using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation;

/// <summary>What an upstream lists besides tools, each list empty when it does not declare the capability.</summary>
public sealed record UpstreamPrimitives(IReadOnlyList<Resource> Resources, IReadOnlyList<ResourceTemplate> Templates, IReadOnlyList<Prompt> Prompts)
{
    public static readonly UpstreamPrimitives None = new([], [], []);
}

/// <summary>The upstream's resources, prompts and completions, and its resource subscriptions.</summary>
public sealed partial class UpstreamSession
{
    // URIs (the upstream's own) the gateway holds a subscription on; a new session subscribes to them again.
    private readonly ConcurrentDictionary<string, byte> _subscriptions = new(StringComparer.Ordinal);
    private UpstreamListen? _listen;

    /// <summary>Raised when the upstream sends <c>notifications/resources/list_changed</c> or <c>notifications/prompts/list_changed</c>.</summary>
    public event Action? PrimitivesChanged;

    /// <summary>Raised with the upstream's URI when it sends <c>notifications/resources/updated</c>.</summary>
    public event Action<string>? ResourceUpdated;

    /// <summary>Every resource, resource template and prompt the upstream lists (all pages), by its declared capabilities.</summary>
    public Task<UpstreamPrimitives> ListPrimitivesAsync(CancellationToken cancellationToken) =>
        RunAsync(async client =>
        {
            var capabilities = client.ServerCapabilities;
            if (capabilities.Resources is null && capabilities.Prompts is null)
            {
                return UpstreamPrimitives.None;
            }

            var resources = new List<Resource>();
            var templates = new List<ResourceTemplate>();
            var prompts = new List<Prompt>();
            if (capabilities.Resources is not null)
            {
                string? cursor = null;
                do
                {
                    var page = await client.ListResourcesAsync(new ListResourcesRequestParams { Cursor = cursor }, cancellationToken);
                    resources.AddRange(page.Resources);
                    cursor = page.NextCursor;
                }
                while (!string.IsNullOrEmpty(cursor));

                cursor = null;
                do
                {
                    var page = await client.ListResourceTemplatesAsync(new ListResourceTemplatesRequestParams { Cursor = cursor }, cancellationToken);
                    templates.AddRange(page.ResourceTemplates);
                    cursor = page.NextCursor;
                }
                while (!string.IsNullOrEmpty(cursor));
            }

            if (capabilities.Prompts is not null)
            {
                string? cursor = null;
                do
                {
                    var page = await client.ListPromptsAsync(new ListPromptsRequestParams { Cursor = cursor }, cancellationToken);
                    prompts.AddRange(page.Prompts);
                    cursor = page.NextCursor;
                }
                while (!string.IsNullOrEmpty(cursor));
            }

            return new UpstreamPrimitives(resources, templates, prompts);
        }, cancellationToken);

    public Task<ReadResourceResult> ReadResourceAsync(UpstreamCall call, string uri, CancellationToken cancellationToken) =>
        RunAsync(async client =>
        {
            using var scope = UpstreamCaller.For(call);
            return await client.ReadResourceAsync(new ReadResourceRequestParams { Uri = uri }, cancellationToken);
        }, cancellationToken);

    public Task<GetPromptResult> GetPromptAsync(UpstreamCall call, string name, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken) =>
        RunAsync(async client =>
        {
            using var scope = UpstreamCaller.For(call);
            return await client.GetPromptAsync(new GetPromptRequestParams { Name = name, Arguments = arguments }, cancellationToken);
        }, cancellationToken);

    /// <summary>Completion suggestions; an upstream without the completions capability has none to give.</summary>
    public Task<CompleteResult> CompleteAsync(UpstreamCall call, CompleteRequestParams parameters, CancellationToken cancellationToken) =>
        RunAsync(async client =>
        {
            if (client.ServerCapabilities.Completions is null)
            {
                return new CompleteResult();
            }

            using var scope = UpstreamCaller.For(call);
            return await client.CompleteAsync(parameters, cancellationToken);
        }, cancellationToken);

    /// <summary>Whether the upstream declares <c>resources.subscribe</c> (connects if needed).</summary>
    public Task<bool> SupportsSubscriptionsAsync(CancellationToken cancellationToken) =>
        RunAsync(client => Task.FromResult(client.ServerCapabilities.Resources?.Subscribe == true), cancellationToken);

    /// <summary>Whether the gateway holds a resource subscription on this session (it is in use while it does).</summary>
    public bool HoldsSubscriptions => !_subscriptions.IsEmpty;

    /// <param name="call">The subscribing caller's request, when there is one: its verified identity goes upstream with it.</param>
    public async Task SubscribeAsync(string uri, CancellationToken cancellationToken, UpstreamCall? call = null)
    {
        if (IsSessionless)
        {
            _subscriptions[uri] = 0;
            try
            {
                await Listen.RefreshAsync(cancellationToken);
            }
            catch
            {
                // The listen request before this one stays, for the other URIs.
                _subscriptions.TryRemove(uri, out _);
                throw;
            }

            return;
        }

        await RunAsync(async client =>
        {
            using var scope = UpstreamCaller.For(call ?? UpstreamCaller.Current);
            await client.SubscribeToResourceAsync(new SubscribeRequestParams { Uri = uri }, cancellationToken);
            return true;
        }, cancellationToken);
        _subscriptions[uri] = 0;
    }

    public async Task UnsubscribeAsync(string uri, CancellationToken cancellationToken)
    {
        _subscriptions.TryRemove(uri, out _);
        if (IsSessionless)
        {
            await Listen.RefreshAsync(cancellationToken);
            return;
        }

        await RunAsync(async client =>
        {
            await client.UnsubscribeFromResourceAsync(new UnsubscribeRequestParams { Uri = uri }, cancellationToken);
            return true;
        }, cancellationToken);
    }

    private IEnumerable<KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>> PrimitiveNotificationHandlers() =>
    [
        new(NotificationMethods.ResourceListChangedNotification, (_, _) =>
        {
            PrimitivesChanged?.Invoke();
            return ValueTask.CompletedTask;
        }),
        new(NotificationMethods.PromptListChangedNotification, (_, _) =>
        {
            PrimitivesChanged?.Invoke();
            return ValueTask.CompletedTask;
        }),
        new(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            if (notification.Params?["uri"]?.GetValueKind() == JsonValueKind.String && (string?)notification.Params["uri"] is { } uri)
            {
                ResourceUpdated?.Invoke(uri);
            }

            return ValueTask.CompletedTask;
        }),
    ];

    private bool IsSessionless => _protocolVersion == SessionlessProtocolVersion;

    // Made on the first subscription of an upstream spoken to in 2026-07-28.
    private UpstreamListen Listen => LazyInitializer.EnsureInitialized(ref _listen,
        () => new UpstreamListen(_upstream.Server, ct => ConnectAsync(ct), () => (IReadOnlyCollection<string>)_subscriptions.Keys, _stopping.Token, _logger));

    // A new session (a reconnect) is listened to again for every URI wanted.
    private async Task RestoreListenAsync()
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.ConnectTimeout);
            await Listen.RefreshAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ResubscribeFailed(_logger, _upstream.Server, string.Join(", ", _subscriptions.Keys), ex.Message);
        }
    }

    /// <summary>A new session knows nothing of the old one's subscriptions: they are made again on it.</summary>
    private async Task ResubscribeAsync(McpClient client)
    {
        if (IsSessionless)
        {
            await RestoreListenAsync();
            return;
        }

        foreach (var uri in _subscriptions.Keys)
        {
            try
            {
                await client.SubscribeToResourceAsync(new SubscribeRequestParams { Uri = uri }, _stopping.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.ResubscribeFailed(_logger, _upstream.Server, uri, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3430, Level = LogLevel.Warning, Message = "Upstream '{Server}': could not subscribe again to '{Uri}' on its new session ({Error}); updates of it are not relayed until a client subscribes again")]
        public static partial void ResubscribeFailed(ILogger logger, string server, string uri, string error);
    }
}
