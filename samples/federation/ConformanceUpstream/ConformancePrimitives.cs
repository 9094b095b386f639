using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ConformanceUpstream;

/// <summary>
/// The test:// resources and template, the test_* prompts, completion and logging the suite's resources-*, prompts-*,
/// completion-complete and logging-set-level scenarios ask for.
/// </summary>
public static class ConformancePrimitives
{
    public const string StaticText = "test://static-text";
    public const string StaticBinary = "test://static-binary";
    public const string Watched = "test://watched-resource";
    public const string Template = "test://template/{id}/data";

    private const string TemplatePrefix = "test://template/";
    private const string TemplateSuffix = "/data";

    // Subscriptions per session: a subscription lasts as long as the session that made it.
    private static readonly ConcurrentDictionary<(string? Session, string Uri), byte> s_subscriptions = new();

    public static void Configure(McpServerOptions options)
    {
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Resources = new ResourcesCapability { Subscribe = true };
        options.Capabilities.Prompts = new PromptsCapability();
        options.Capabilities.Completions = new CompletionsCapability();
        options.Capabilities.Logging = new LoggingCapability();

        options.Handlers.ListResourcesHandler = (_, _) => ValueTask.FromResult(new ListResourcesResult
        {
            Resources =
            [
                new Resource { Uri = StaticText, Name = "static-text", Description = "A static text resource.", MimeType = "text/plain" },
                new Resource { Uri = StaticBinary, Name = "static-binary", Description = "A static binary resource (a 1x1 PNG).", MimeType = "image/png" },
                new Resource { Uri = Watched, Name = "watched-resource", Description = "A resource clients can subscribe to.", MimeType = "text/plain" },
            ],
        });
        options.Handlers.ListResourceTemplatesHandler = (_, _) => ValueTask.FromResult(new ListResourceTemplatesResult
        {
            ResourceTemplates = [new ResourceTemplate { UriTemplate = Template, Name = "template-data", Description = "JSON data for an id.", MimeType = "application/json" }],
        });
        options.Handlers.ReadResourceHandler = (request, _) => ValueTask.FromResult(new ReadResourceResult { Contents = [Read(request.Params!.Uri)] });
        options.Handlers.SubscribeToResourcesHandler = (request, cancellationToken) =>
        {
            var uri = request.Params!.Uri;
            Read(uri); // Throws ResourceNotFound for a URI it does not serve: no subscription to nothing.
            s_subscriptions[(request.Server.SessionId, uri)] = 0;
            return ValueTask.FromResult(new EmptyResult());
        };
        options.Handlers.UnsubscribeFromResourcesHandler = (request, cancellationToken) =>
        {
            s_subscriptions.TryRemove((request.Server.SessionId, request.Params!.Uri), out _);
            return ValueTask.FromResult(new EmptyResult());
        };

        options.Handlers.ListPromptsHandler = (_, _) => ValueTask.FromResult(new ListPromptsResult
        {
            Prompts =
            [
                new Prompt { Name = "test_simple_prompt", Description = "A prompt without arguments." },
                new Prompt
                {
                    Name = "test_prompt_with_arguments", Description = "A prompt with two arguments.",
                    Arguments = [Argument("arg1", "First test argument"), Argument("arg2", "Second test argument")],
                },
                new Prompt
                {
                    Name = "test_prompt_with_embedded_resource", Description = "A prompt that embeds a resource.",
                    Arguments = [Argument("resourceUri", "URI of the resource to embed")],
                },
                new Prompt { Name = "test_prompt_with_image", Description = "A prompt with an image." },
            ],
        });
        options.Handlers.GetPromptHandler = (request, _) => ValueTask.FromResult(GetPrompt(request.Params!));
        options.Handlers.CompleteHandler = (request, _) => ValueTask.FromResult(Complete(request.Params!));
    }

    private static ResourceContents Read(string uri)
    {
        if (uri == StaticText || uri == Watched)
        {
            return new TextResourceContents
            {
                Uri = uri, MimeType = "text/plain",
                Text = uri == StaticText ? "This is the content of the static text resource." : "The watched resource, as it is now.",
            };
        }

        if (uri == StaticBinary)
        {
            return BlobResourceContents.FromBytes(Convert.FromBase64String(ConformanceTools.TinyPng), uri, "image/png");
        }

        if (uri.StartsWith(TemplatePrefix, StringComparison.Ordinal) && uri.EndsWith(TemplateSuffix, StringComparison.Ordinal)
            && uri[TemplatePrefix.Length..^TemplateSuffix.Length] is { Length: > 0 } id && !id.Contains('/'))
        {
            var data = new JsonObject { ["id"] = id, ["templateTest"] = true, ["data"] = $"Data for ID: {id}" };
            return new TextResourceContents { Uri = uri, MimeType = "application/json", Text = data.ToJsonString() };
        }

        throw new McpProtocolException($"Resource not found: {uri}", McpErrorCode.ResourceNotFound);
    }

    private static GetPromptResult GetPrompt(GetPromptRequestParams request)
    {
        string Arg(string name) =>
            request.Arguments is { } arguments && arguments.TryGetValue(name, out var value) && value.GetString() is { } text
                ? text
                : throw new McpProtocolException($"Prompt '{request.Name}' needs the argument '{name}'.", McpErrorCode.InvalidParams);

        PromptMessage User(ContentBlock content) => new() { Role = Role.User, Content = content };

        return request.Name switch
        {
            "test_simple_prompt" => new GetPromptResult { Messages = [User(new TextContentBlock { Text = "This is a simple prompt for testing." })] },
            "test_prompt_with_arguments" => new GetPromptResult
            {
                Messages = [User(new TextContentBlock { Text = $"Prompt with arguments: arg1='{Arg("arg1")}', arg2='{Arg("arg2")}'" })],
            },
            "test_prompt_with_embedded_resource" => new GetPromptResult
            {
                Messages =
                [
                    User(new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = Arg("resourceUri"), MimeType = "text/plain", Text = "Embedded resource content for testing." } }),
                    User(new TextContentBlock { Text = "Please process the embedded resource above." }),
                ],
            },
            "test_prompt_with_image" => new GetPromptResult
            {
                Messages =
                [
                    User(ConformanceTools.Image()),
                    User(new TextContentBlock { Text = "Please analyze the image above." }),
                ],
            },
            _ => throw new McpProtocolException($"Unknown prompt '{request.Name}'.", McpErrorCode.InvalidParams),
        };
    }

    private static CompleteResult Complete(CompleteRequestParams request)
    {
        string[] candidates = (request.Ref, request.Argument.Name) switch
        {
            (PromptReference { Name: "test_prompt_with_arguments" }, "arg1" or "arg2") => ["paris", "park", "party", "test", "testing"],
            (ResourceTemplateReference { Uri: Template }, "id") => ["1", "2", "3", "123"],
            _ => [],
        };
        var values = candidates.Where(v => v.StartsWith(request.Argument.Value, StringComparison.Ordinal)).ToList();
        return new CompleteResult { Completion = new Completion { Values = values, Total = values.Count, HasMore = false } };
    }

    private static PromptArgument Argument(string name, string description) => new() { Name = name, Description = description, Required = true };
}
