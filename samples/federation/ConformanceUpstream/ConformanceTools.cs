using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace ConformanceUpstream;

/// <summary>The test_* tools the suite's tools-call-*, elicitation-*, json-schema-2020-12 and server-sse-polling scenarios call.</summary>
public static class ConformanceTools
{
    public const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    // A valid RIFF/WAVE file with no samples: the smallest audio the suite can check the MIME type of.
    public const string TinyWav = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";

    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(50);

    public static IEnumerable<McpServerTool> All()
    {
        yield return Tool("test_simple_text", "Returns one text block.",
            () => Text("This is a simple text response for testing."));

        yield return Tool("test_image_content", "Returns a 1x1 PNG image.",
            () => new CallToolResult { Content = [Image()] });

        yield return Tool("test_audio_content", "Returns a minimal WAV audio clip.",
            () => new CallToolResult { Content = [AudioContentBlock.FromBytes(Convert.FromBase64String(TinyWav), "audio/wav")] });

        yield return Tool("test_embedded_resource", "Returns an embedded text resource.",
            () => new CallToolResult
            {
                Content = [new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." } }],
            });

        yield return Tool("test_multiple_content_types", "Returns text, an image and an embedded resource.",
            () => new CallToolResult
            {
                Content =
                [
                    new TextContentBlock { Text = "Multiple content types test:" },
                    Image(),
                    new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"test":"data","value":123}""" } },
                ],
            });

        yield return Tool("test_error_handling", "Always fails with an isError result.",
            () => new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }] });

        yield return Tool("test_tool_with_logging", "Sends three info log messages while it runs.", async (McpServer server, CancellationToken cancellationToken) =>
        {
            await LogAsync(server, "Tool execution started", cancellationToken);
            await Task.Delay(s_step, cancellationToken);
            await LogAsync(server, "Tool processing data", cancellationToken);
            await Task.Delay(s_step, cancellationToken);
            await LogAsync(server, "Tool execution completed", cancellationToken);
            return Text("Tool with logging executed successfully");
        });

        yield return Tool("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100 when the call carries a progress token.",
            async (RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
            {
                var token = request.Params?.ProgressToken;
                for (var progress = 0; progress <= 100; progress += 50)
                {
                    if (progress > 0)
                    {
                        await Task.Delay(s_step, cancellationToken);
                    }

                    if (token is { } progressToken)
                    {
                        await request.Server.NotifyProgressAsync(progressToken, new ProgressNotificationValue { Progress = progress, Total = 100 }, cancellationToken: cancellationToken);
                    }
                }

                return Text($"Tool with progress executed successfully (token {token?.ToString() ?? "none"})");
            });

        yield return Tool("test_sampling", "Asks the client's LLM to answer the prompt (sampling/createMessage).", async (McpServer server, string prompt, CancellationToken cancellationToken) =>
        {
            if (server.ClientCapabilities?.Sampling is null)
            {
                return Error("test_sampling needs a client that declares the sampling capability.");
            }

            var answer = await server.SampleAsync(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 100,
            }, cancellationToken);
            return Text("LLM response: " + string.Join(" ", answer.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        });

        yield return Tool("test_elicitation", "Asks the user for a username and an email (elicitation/create).", (McpServer server, string message, CancellationToken cancellationToken) =>
            ElicitAsync(server, message, new RequestSchema
            {
                Properties = new Dictionary<string, PrimitiveSchemaDefinition>
                {
                    ["username"] = new StringSchema { Description = "User's response" },
                    ["email"] = new StringSchema { Description = "User's email address" },
                },
                Required = ["username", "email"],
            }, "User response", cancellationToken));

        yield return Tool("test_elicitation_sep1034_defaults", "Elicits five fields, each with a default value (SEP-1034).", (McpServer server, CancellationToken cancellationToken) =>
            ElicitAsync(server, "Please review your profile; every field has a default.", new RequestSchema
            {
                Properties = new Dictionary<string, PrimitiveSchemaDefinition>
                {
                    ["name"] = new StringSchema { Description = "User name", Default = "John Doe" },
                    ["age"] = new NumberSchema { Type = "integer", Description = "User age", Default = 30 },
                    ["score"] = new NumberSchema { Description = "User score", Default = 95.5 },
                    ["status"] = new UntitledSingleSelectEnumSchema { Description = "User status", Enum = ["active", "inactive", "pending"], Default = "active" },
                    ["verified"] = new BooleanSchema { Description = "Verification status", Default = true },
                },
            }, "Elicitation completed", cancellationToken));

        yield return Tool("test_elicitation_sep1330_enums", "Elicits the five enum forms of SEP-1330.", (McpServer server, CancellationToken cancellationToken) =>
            ElicitAsync(server, "Please pick from each list.", new RequestSchema
            {
                Properties = new Dictionary<string, PrimitiveSchemaDefinition>
                {
                    ["untitledSingle"] = new UntitledSingleSelectEnumSchema { Enum = ["option1", "option2", "option3"] },
                    ["titledSingle"] = new TitledSingleSelectEnumSchema
                    {
                        OneOf = [Option("value1", "First Option"), Option("value2", "Second Option"), Option("value3", "Third Option")],
                    },
#pragma warning disable CS0618 // enumNames is deprecated, and the scenario checks that it still travels.
                    ["legacyEnum"] = new LegacyTitledEnumSchema { Enum = ["opt1", "opt2", "opt3"], EnumNames = ["Option One", "Option Two", "Option Three"] },
#pragma warning restore CS0618
                    ["untitledMulti"] = new UntitledMultiSelectEnumSchema { Items = new UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] } },
                    ["titledMulti"] = new TitledMultiSelectEnumSchema
                    {
                        Items = new TitledEnumItemsSchema { AnyOf = [Option("value1", "First Choice"), Option("value2", "Second Choice"), Option("value3", "Third Choice")] },
                    },
                },
            }, "Elicitation completed", cancellationToken));

        var schemaTool = Tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
            (JsonElement? name, JsonElement? address) => Text($"name={name}, address={address}"));
        schemaTool.ProtocolTool.InputSchema = JsonDocument.Parse("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": {
                "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } }
              },
              "properties": { "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" } },
              "additionalProperties": false
            }
            """).RootElement.Clone();
        yield return schemaTool;

        yield return Tool("test_reconnection", "Closes its response stream before answering; the client gets the answer by resuming (SEP-1699).",
            async (RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
            {
                await request.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                return Text("Reconnection test completed successfully");
            });
    }

    private static McpServerTool Tool(string name, string description, Delegate handler) =>
        McpServerTool.Create(handler, new McpServerToolCreateOptions { Name = name, Description = description });

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    private static CallToolResult Error(string text) => new() { IsError = true, Content = [new TextContentBlock { Text = text }] };

    public static ImageContentBlock Image() => ImageContentBlock.FromBytes(Convert.FromBase64String(TinyPng), "image/png");

    private static EnumSchemaOption Option(string value, string title) => new() { Const = value, Title = title };

    private static async Task LogAsync(McpServer server, string message, CancellationToken cancellationToken)
    {
        // Honour logging/setLevel: info goes out unless the client asked for notice or higher.
        if (server.LoggingLevel is { } level && level > LoggingLevel.Info)
        {
            return;
        }

        await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification,
            new LoggingMessageNotificationParams { Level = LoggingLevel.Info, Logger = "conformance-upstream", Data = JsonSerializer.SerializeToElement(message, McpJsonUtilities.DefaultOptions) },
            cancellationToken: cancellationToken);
    }

    private static async Task<CallToolResult> ElicitAsync(McpServer server, string message, RequestSchema schema, string label, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Elicitation is null)
        {
            return Error("This tool needs a client that declares the elicitation capability.");
        }

        var answer = await server.ElicitAsync(new ElicitRequestParams { Message = message, RequestedSchema = schema }, cancellationToken);
        var content = answer.Content is null ? "{}" : JsonSerializer.Serialize(answer.Content, McpJsonUtilities.DefaultOptions);
        return Text($"{label}: action={answer.Action}, content={content}");
    }
}
