using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Proxy.Federation.Pinning;
using Gateway.Proxy.Mcp;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Requests;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Pipeline;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Rest;

/// <summary>
/// REST for non-MCP clients: <c>GET /tools</c> and <c>POST /tools/call</c> with <c>{"tool","arguments"}</c> or, for a
/// federated tool, <c>{"server","tool","arguments"}</c> naming the upstream and its own tool name. Calls go through the
/// same dispatcher, and therefore the same pipeline steps, as MCP <c>tools/call</c>.
/// </summary>
public static class ToolsFacadeEndpoints
{
    private static readonly JsonTypeInfo<Tool> s_toolType = (JsonTypeInfo<Tool>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool));
    private static readonly JsonTypeInfo<CallToolResult> s_resultType = Gateway.Proxy.Mcp.CompactJson.TypeInfo<CallToolResult>();

    public static IEndpointRouteBuilder MapToolsFacade(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/tools", ListAsync);
        endpoints.MapPost("/tools/call", CallAsync);
        return endpoints;
    }

    private static async Task ListAsync(HttpContext context, ToolCatalogHolder catalog, IToolVisibility visibility, ToolListDecorations decorations)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("tools");
        foreach (var tool in catalog.Current.Tools)
        {
            if (await visibility.IsVisibleAsync(context.User, tool) && decorations.Apply(tool) is { } listed)
            {
                JsonSerializer.Serialize(writer, listed, s_toolType);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static async Task CallAsync(HttpContext context, ToolCallDispatcher dispatcher, ToolCatalogHolder catalog, ToolQuarantine quarantine, IOptions<McpOptions> options)
    {
        var request = await ReadRequestAsync(context, options.Value.MaxRequestBodyBytes);
        if (request.Error is not null)
        {
            await RejectionWriter.WriteAsync(context, request.Error);
            return;
        }

        var toolName = request.Tool!;
        if (request.Server is { } server)
        {
            var tools = catalog.Current;
            if (tools.TryGetUpstreamTool(server, toolName, out var federated))
            {
                toolName = federated.Name;
            }
            else if (quarantine.TryGetUpstream(server, toolName, out var held))
            {
                // Held by tool-definition pinning: the dispatcher refuses it saying so.
                toolName = held.Tool.Name;
            }
            else if (tools.TryGet(toolName, out var declared) ? !IsServedBy(declared, server) : !quarantine.TryGet(toolName, out _))
            {
                await RejectionWriter.WriteAsync(context, (await dispatcher.RefuseUnknownToolAsync(context, server, toolName)).Rejection!);
                return;
            }
        }

        var outcome = await dispatcher.CallAsync(context, toolName, request.Arguments, CallEntryPoint.RestFacade, context.RequestAborted);
        CallResponseHeaders.Apply(context.Response, outcome.ResponseHeaders);
        if (outcome.Rejection is { } rejection)
        {
            await RejectionWriter.WriteAsync(context, rejection);
            return;
        }

        context.Response.StatusCode = outcome.ErrorCode switch
        {
            null => StatusCodes.Status200OK,
            GatewayErrorCodes.ToolTimeout => StatusCodes.Status504GatewayTimeout,
            GatewayErrorCodes.BackendRejected => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status502BadGateway,
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, outcome.Result!, s_resultType, context.RequestAborted);
    }

    /// <summary>A tool's server is its upstream MCP server (federated tools) or its backend cluster (REST tools).</summary>
    private static bool IsServedBy(ToolDefinition tool, string server) =>
        tool.Upstream is { } upstream
            ? string.Equals(upstream.Server, server, StringComparison.Ordinal)
            : string.Equals(tool.ClusterId, server, StringComparison.OrdinalIgnoreCase);

    private static async Task<FacadeRequest> ReadRequestAsync(HttpContext context, long limit)
    {
        if (!(context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return FacadeRequest.Invalid("Send a JSON body with Content-Type: application/json, e.g. {\"tool\":\"semantic_search\",\"arguments\":{\"query\":\"yarp\"}}.");
        }

        using var body = await JsonRequest.ReadAsync(context, limit);
        switch (body.Failure)
        {
            case JsonRequestFailure.TooLarge:
                return new FacadeRequest(null, null, default, new GatewayRejection(StatusCodes.Status413PayloadTooLarge, GatewayErrorCodes.LimitExceeded,
                    $"The request body exceeds {limit} bytes (Gateway:Mcp:MaxRequestBodyBytes); send less data per call.", RejectionKind.ProtocolError)
                {
                    Data = new Dictionary<string, object?> { ["limit"] = "MaxRequestBodyBytes", ["max_bytes"] = limit },
                });
            case JsonRequestFailure.Incomplete:
                return FacadeRequest.Invalid("The request body ended before the JSON was complete.");
            case JsonRequestFailure.InvalidJson:
                var error = body.JsonError!;
                var data = new Dictionary<string, object?> { ["path"] = error.Path };
                if (error.Key is not null)
                {
                    data["key"] = error.Key;
                }

                return new FacadeRequest(null, null, default, GatewayRejection.InvalidArguments(error.Message) with { Data = data });
        }

        var root = body.Document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.String
            || tool.ValueEquals(ReadOnlySpan<byte>.Empty))
        {
            return FacadeRequest.Invalid("The body needs a string 'tool' and an optional object 'arguments', e.g. {\"tool\":\"semantic_search\",\"arguments\":{\"query\":\"yarp\"}}.");
        }

        string? server = null;
        if (root.TryGetProperty("server", out var serverElement))
        {
            if (serverElement.ValueKind != JsonValueKind.String)
            {
                return FacadeRequest.Invalid("'server' must be a string naming the tool's upstream MCP server (its name under Federation.Upstreams) or its backend cluster.");
            }

            server = serverElement.GetString();
        }

        // Cloned: the document's memory goes back to the pool when this method returns.
        var arguments = root.TryGetProperty("arguments", out var args) ? args.Clone() : default;
        return new FacadeRequest(tool.GetString(), server, arguments, null);
    }

    private readonly record struct FacadeRequest(string? Tool, string? Server, JsonElement Arguments, GatewayRejection? Error)
    {
        public static FacadeRequest Invalid(string error) => new(null, null, default, GatewayRejection.InvalidArguments(error));
    }
}
