using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gateway.Proxy.Requests;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Validation.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Reads one JSON-RPC message from a POST body for Streamable HTTP and legacy SSE alike: bounded while reading,
/// strict JSON (<see cref="StrictJson"/>), then the SDK's message model. Every refusal is a JSON-RPC error the
/// endpoint writes as is; nothing here throws for bad input.
/// </summary>
internal static class JsonRpcMessageReader
{
    private const string ShapeHint =
        "it needs \"jsonrpc\":\"2.0\" and a string \"method\" (with an optional object \"params\" and a string or integer \"id\"), or a \"result\" or \"error\" with its \"id\"; batches are not supported";

    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    /// <param name="toolCallFastPath">The fast path would take a tools/call: read a plain one without the SDK's model.</param>
    public static async Task<JsonRpcReadResult> ReadAsync(HttpContext context, long limit, bool toolCallFastPath = false)
    {
        using var body = await JsonRequest.ReadAsync(context, limit);
        switch (body.Failure)
        {
            case JsonRequestFailure.TooLarge:
                return JsonRpcReadResult.Refused(StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.InvalidRequest,
                    $"Payload Too Large: the message exceeds {limit} bytes (Gateway:Mcp:MaxRequestBodyBytes); send less data per message.");
            case JsonRequestFailure.Incomplete:
                return JsonRpcReadResult.Refused(StatusCodes.Status400BadRequest, JsonRpcErrors.InvalidRequest,
                    "Bad Request: the request body ended before the message was complete.");
            case JsonRequestFailure.InvalidJson:
                return FromJsonError(body.JsonError!, body.Body);
        }

        var root = body.Document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return JsonRpcReadResult.Refused(StatusCodes.Status400BadRequest, JsonRpcErrors.InvalidRequest,
                $"Invalid Request: the body is not a single JSON-RPC 2.0 message; {ShapeHint}.");
        }

        if (toolCallFastPath && StatelessToolCall.TryRead(root, out var toolCall))
        {
            return new JsonRpcReadResult(null, 0, 0, null, default, null) { ToolCall = toolCall };
        }

        JsonRpcMessage? message;
        try
        {
            message = root.Deserialize(s_messageType);
        }
        catch (JsonException)
        {
            message = null;
        }

        return message is null
            ? JsonRpcReadResult.Refused(StatusCodes.Status400BadRequest, JsonRpcErrors.InvalidRequest,
                $"Invalid Request: the body is not a JSON-RPC 2.0 message; {ShapeHint}.", IdOf(root))
            : new JsonRpcReadResult(message, 0, 0, null, default, null) { Body = body.Body.ToArray() };
    }

    /// <summary>
    /// Params a request or notification carries that no handler can use: params that are not an object, and for
    /// <c>tools/call</c> a missing or non-string name or non-object arguments. The SDK would report them as internal errors.
    /// </summary>
    public static string? InvalidParams(JsonRpcMessage message)
    {
        var (method, parameters) = message switch
        {
            JsonRpcRequest request => (request.Method, request.Params),
            JsonRpcNotification notification => (notification.Method, notification.Params),
            _ => (null, null),
        };

        if (method is null)
        {
            return null;
        }

        if (parameters is not null and not JsonObject)
        {
            return $"Invalid params: 'params' of {CallerText.Echo(method)} must be a JSON object.";
        }

        if (method == RequestMethods.SubscriptionsListen)
        {
            return ListenParams.Invalid(parameters as JsonObject);
        }

        if (method != RequestMethods.ToolsCall)
        {
            return null;
        }

        if (parameters is not JsonObject fields || fields["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
        {
            return "Invalid params: tools/call needs params with a string 'name' and an optional object 'arguments'.";
        }

        return fields["arguments"] is { } arguments && arguments.GetValueKind() is not (JsonValueKind.Object or JsonValueKind.Null)
            ? $"Invalid params: 'arguments' of tool '{CallerText.Echo((string)name!)}' must be a JSON object."
            : null;
    }

    private static JsonRpcReadResult FromJsonError(StrictJsonError error, ReadOnlyMemory<byte> body)
    {
        if (error.Kind is StrictJsonErrorKind.Empty or StrictJsonErrorKind.Syntax)
        {
            return JsonRpcReadResult.Refused(StatusCodes.Status400BadRequest, JsonRpcErrors.ParseError, "Parse error: " + error.Message);
        }

        var data = new Dictionary<string, object> { ["path"] = error.Path };
        if (error.Key is not null)
        {
            data["key"] = error.Key;
        }

        // Problems inside params are the caller's invalid params; anywhere else the message itself is not well formed.
        var inParams = error.IsWithin("$.params");
        var id = error.IsWithin("$.id") ? default : RecoverId(body);
        return JsonRpcReadResult.Refused(StatusCodes.Status400BadRequest,
            inParams ? JsonRpcErrors.InvalidParams : JsonRpcErrors.InvalidRequest,
            (inParams ? "Invalid params: " : "Invalid Request: ") + error.Message, id, data);
    }

    /// <summary>The request id of a refused message, so the error can still be matched to its request (error path only).</summary>
    private static RequestId RecoverId(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = StrictJson.MaxDepth });
            return document.RootElement.ValueKind == JsonValueKind.Object ? IdOf(document.RootElement) : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static RequestId IdOf(JsonElement root) => root.TryGetProperty("id", out var id) ? RequestIdOf(id) : default;

    /// <summary>A JSON-RPC id the SDK can carry (a string or an integer); default for anything else.</summary>
    internal static RequestId RequestIdOf(JsonElement id)
    {
        try
        {
            return id.ValueKind switch
            {
                JsonValueKind.String => new RequestId(id.GetString()!),
                JsonValueKind.Number when id.TryGetInt64(out var number) => new RequestId(number),
                _ => default,
            };
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }
}

/// <summary>A message (or a plain tools/call for the fast path), or the JSON-RPC error (HTTP status, code, message, id, data) to answer instead.</summary>
internal readonly record struct JsonRpcReadResult(JsonRpcMessage? Message, int Status, int Code, string? Error, RequestId Id, object? Data)
{
    /// <summary>The bytes the message was read from, so the SDK's handler can read the very same body again.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>A plain tools/call read for the fast path instead of <see cref="Message"/>.</summary>
    public StatelessToolCall? ToolCall { get; init; }

    public static JsonRpcReadResult Refused(int status, int code, string error, RequestId id = default, object? data = null) =>
        new(null, status, code, error, id, data);

    public Task WriteErrorAsync(HttpContext context) =>
        JsonRpcErrors.WriteAsync(context, Status, Code, Error!, Id, Data);
}
