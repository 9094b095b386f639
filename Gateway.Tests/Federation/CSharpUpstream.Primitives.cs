using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Tests.Federation;

/// <summary>The upstream's resources, prompts and completions, served by handlers so subscriptions work and lists can change.</summary>
public sealed partial class CSharpUpstream
{
    public const string ReadmeUri = "test://doc/readme";
    public const string DocTemplate = "test://doc/{id}";

    // The sessions' own servers: a handler's request.Server is bound to that request's response stream.
    private readonly ConcurrentDictionary<McpServer, byte> _sessions = new();
    private readonly ConcurrentQueue<string> _extraResources = new();
    // Open subscriptions/listen requests: the request's server (bound to its stream), its id and its URIs.
    private readonly ConcurrentDictionary<McpServer, (object Id, string[] Uris)> _listens = new();

    /// <summary>Labels every resource's and prompt's text.</summary>
    public string Label { get; }

    /// <summary>
    /// Every resources/subscribe and resources/unsubscribe received, as "subscribe {uri}" / "unsubscribe {uri}", and every
    /// subscriptions/listen opened and ended, as "listen {uris}" / "listen-end {uris}" (space-separated).
    /// </summary>
    public ConcurrentQueue<string> SubscriptionRequests { get; } = new();

    /// <summary>
    /// Sends notifications/resources/updated for the URI on every session the upstream has, and on every open
    /// subscriptions/listen request that asked for it (2026-07-28).
    /// </summary>
    public async Task NotifyUpdatedAsync(string uri)
    {
        foreach (var session in _sessions.Keys)
        {
            await session.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification, new ResourceUpdatedNotificationParams { Uri = uri });
        }

        foreach (var (listen, (id, uris)) in _listens)
        {
            if (uris.Contains(uri))
            {
                await listen.SendMessageAsync(new JsonRpcNotification
                {
                    Method = NotificationMethods.ResourceUpdatedNotification,
                    Params = new System.Text.Json.Nodes.JsonObject { ["uri"] = uri, ["_meta"] = new System.Text.Json.Nodes.JsonObject { [MetaKeys.SubscriptionId] = Tag(id) } },
                });
            }
        }
    }

    private static System.Text.Json.Nodes.JsonNode? Tag(object id) =>
        id is long number ? System.Text.Json.Nodes.JsonValue.Create(number) : System.Text.Json.Nodes.JsonValue.Create(id as string);

    /// <summary>The subscriptions/listen requests open now.</summary>
    public int OpenListens => _listens.Count;

    /// <summary>Sends notifications/resources/updated for the URI on the one session with that Mcp-Session-Id.</summary>
    public async Task NotifyUpdatedAsync(string uri, string sessionId)
    {
        foreach (var session in _sessions.Keys.Where(s => s.SessionId == sessionId))
        {
            await session.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification, new ResourceUpdatedNotificationParams { Uri = uri });
        }
    }

    /// <summary>Lists one more static resource and tells every session with notifications/resources/list_changed.</summary>
    public async Task AddResourceAsync(string uri)
    {
        _extraResources.Enqueue(uri);
        foreach (var session in _sessions.Keys)
        {
            await session.SendNotificationAsync(NotificationMethods.ResourceListChangedNotification);
        }
    }

    private async Task RunSessionAsync(Microsoft.AspNetCore.Http.HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        _sessions.TryAdd(server, 0);
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            _sessions.TryRemove(server, out _);
        }
    }

    private void ConfigurePrimitives(McpServerOptions options)
    {
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Resources = new ResourcesCapability { Subscribe = true, ListChanged = true };
        options.Capabilities.Prompts = new PromptsCapability { ListChanged = true };
        options.Capabilities.Completions = new CompletionsCapability();
        options.Handlers.ListResourcesHandler = (_, _) => ValueTask.FromResult(new ListResourcesResult
        {
            Resources = [new Resource { Uri = ReadmeUri, Name = "readme", MimeType = "text/plain" }, .. _extraResources.Select(u => new Resource { Uri = u, Name = u })],
        });
        options.Handlers.ListResourceTemplatesHandler = (_, _) => ValueTask.FromResult(new ListResourceTemplatesResult
        {
            ResourceTemplates = [new ResourceTemplate { UriTemplate = DocTemplate, Name = "doc", MimeType = "text/plain" }],
        });
        options.Handlers.ReadResourceHandler = (request, _) =>
        {
            var uri = request.Params!.Uri;
            if (!uri.StartsWith("test://doc/", StringComparison.Ordinal))
            {
                throw new McpProtocolException($"no resource {uri}", McpErrorCode.InvalidParams);
            }

            return ValueTask.FromResult(new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = $"{Label}: {uri["test://doc/".Length..]}" }],
            });
        };
        options.Handlers.SubscribeToResourcesHandler = (request, _) =>
        {
            SubscriptionRequests.Enqueue("subscribe " + request.Params!.Uri);
            return ValueTask.FromResult(new EmptyResult());
        };
        options.Handlers.UnsubscribeFromResourcesHandler = (request, _) =>
        {
            SubscriptionRequests.Enqueue("unsubscribe " + request.Params!.Uri);
            return ValueTask.FromResult(new EmptyResult());
        };
        options.Handlers.SubscriptionsListenHandler = async (request, cancellationToken) =>
        {
            var uris = request.Params?.Notifications?.ResourceSubscriptions?.ToArray() ?? [];
            var id = request.JsonRpcRequest.Id.Id!;
            SubscriptionRequests.Enqueue("listen " + string.Join(' ', uris));
            _listens[request.Server] = (id, uris);
            try
            {
                await request.Server.SendMessageAsync(new JsonRpcNotification
                {
                    Method = NotificationMethods.SubscriptionsAcknowledgedNotification,
                    Params = new System.Text.Json.Nodes.JsonObject
                    {
                        ["notifications"] = new System.Text.Json.Nodes.JsonObject { ["resourceSubscriptions"] = new System.Text.Json.Nodes.JsonArray(uris.Select(u => (System.Text.Json.Nodes.JsonNode?)u).ToArray()) },
                        ["_meta"] = new System.Text.Json.Nodes.JsonObject { [MetaKeys.SubscriptionId] = Tag(id) },
                    },
                }, cancellationToken);
                // Ends with the server's stop, as a restart ends it for the gateway.
                var stopping = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                    .GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(request.Services!).ApplicationStopping;
                using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
                await Task.Delay(Timeout.Infinite, ended.Token);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _listens.TryRemove(request.Server, out _);
                SubscriptionRequests.Enqueue("listen-end " + string.Join(' ', uris));
            }

            return new EmptyResult();
        };
        options.Handlers.ListPromptsHandler = (_, _) => ValueTask.FromResult(new ListPromptsResult
        {
            Prompts = [new Prompt { Name = "greet", Description = "Greets someone.", Arguments = [new PromptArgument { Name = "name", Required = true }] }],
        });
        options.Handlers.GetPromptHandler = (request, _) =>
        {
            if (request.Params!.Name != "greet")
            {
                throw new McpProtocolException($"no prompt {request.Params.Name}", McpErrorCode.InvalidParams);
            }

            var name = request.Params.Arguments is { } arguments && arguments.TryGetValue("name", out var value) ? value.GetString() : "nobody";
            return ValueTask.FromResult(new GetPromptResult
            {
                Messages =
                [
                    new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = $"Hello {name} from {Label}" } },
                    new PromptMessage { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = ReadmeUri, Text = "readme" } } },
                ],
            });
        };
        options.Handlers.CompleteHandler = (request, _) =>
        {
            string[] values = request.Params!.Ref switch
            {
                PromptReference { Name: "greet" } => ["Ada", "Alan", "Grace"],
                ResourceTemplateReference { Uri: DocTemplate } => ["1", "2", "3"],
                _ => [],
            };
            var prefix = request.Params.Argument.Value;
            return ValueTask.FromResult(new CompleteResult
            {
                Completion = new Completion { Values = values.Where(v => v.StartsWith(prefix, StringComparison.Ordinal)).Select(v => $"{v}").ToList() },
            });
        };
    }
}
