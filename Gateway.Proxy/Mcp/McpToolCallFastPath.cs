using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Stateless <c>tools/call</c> answered as one JSON response, without starting an SDK server and an event stream per
/// request (about twice the throughput, see README). The call and its error mapping are the same
/// <see cref="McpToolCalls"/> the SDK's handler runs; McpToolCallFastPathDifferentialTests pins the two paths to
/// the same results.
/// </summary>
public sealed partial class McpToolCallFastPath
{
    private const int InitialReplyBytes = 1024;

    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType = CompactJson.TypeInfo<JsonRpcMessage>();

    private static readonly JsonTypeInfo<CallToolResult> s_resultType = CompactJson.TypeInfo<CallToolResult>();

    // A writer takes its escaping from its own options, not from the serializer's.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = s_messageType.Options.Encoder };

    private readonly McpToolCalls _toolCalls;
    private readonly ILogger<McpToolCallFastPath> _logger;

    public McpToolCallFastPath(McpToolCalls toolCalls, ILogger<McpToolCallFastPath> logger)
    {
        _toolCalls = toolCalls;
        _logger = logger;
    }

    public async Task RespondAsync(HttpContext context, JsonRpcRequest request)
    {
        var parameters = (JsonObject)request.Params!;
        JsonRpcMessage reply;
        try
        {
            var result = await _toolCalls.CallAsync(context, (string)parameters["name"]!, parameters["arguments"], context.RequestAborted);
            reply = new JsonRpcResponse { Id = request.Id, Result = JsonSerializer.SerializeToNode(result, s_resultType) };
        }
        catch (McpProtocolException ex)
        {
            reply = new JsonRpcError { Id = request.Id, Error = McpToolCalls.ToErrorDetail(ex) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As the SDK does: an accepted request always gets an answer, never a stack trace.
            Log.ToolCallFailed(_logger, ex);
            reply = new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InternalError, Message = "The gateway failed while calling the tool; the request id in X-Request-ID locates it in the logs." },
            };
        }

        // Serialized whole before anything is sent: one write with a Content-Length instead of a chunked body and a
        // separate terminating chunk when the request ends.
        var body = new ArrayBufferWriter<byte>(InitialReplyBytes);
        using (var writer = new Utf8JsonWriter(body, s_writerOptions))
        {
            JsonSerializer.Serialize(writer, reply, s_messageType);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.WrittenCount;
        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "tools/call failed unexpectedly")]
        public static partial void ToolCallFailed(ILogger logger, Exception exception);
    }
}
