using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Stateless <c>tools/call</c> answered as one JSON response, without starting an SDK server and an event stream per
/// request (about twice the throughput, see README). The call and its error mapping are the same
/// <see cref="McpToolCalls"/> the SDK's handler runs; ToolCallFastPathDifferentialTests pins the two paths to
/// the same results.
/// </summary>
public sealed partial class McpToolCallFastPath
{
    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType = CompactJson.TypeInfo<JsonRpcMessage>();

    private static readonly JsonTypeInfo<CallToolResult> s_resultType = CompactJson.TypeInfo<CallToolResult>();

    private static readonly JsonTypeInfo<RequestId> s_idType = CompactJson.TypeInfo<RequestId>();

    private static readonly JsonEncodedText s_result = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText s_jsonrpc = JsonEncodedText.Encode("jsonrpc");
    private static readonly JsonEncodedText s_version = JsonEncodedText.Encode("2.0");

    private readonly McpToolCalls _toolCalls;
    private readonly ILogger<McpToolCallFastPath> _logger;

    public McpToolCallFastPath(McpToolCalls toolCalls, ILogger<McpToolCallFastPath> logger)
    {
        _toolCalls = toolCalls;
        _logger = logger;
    }

    /// <summary>A tools/call the SDK's message model has read (one that <see cref="StatelessToolCall"/> left to the general path).</summary>
    public Task RespondAsync(HttpContext context, JsonRpcRequest request)
    {
        var parameters = (JsonObject)request.Params!;
        return RespondAsync(context, new StatelessToolCall(request.Id, (string)parameters["name"]!, McpToolCalls.ArgumentsOf(parameters["arguments"])));
    }

    internal async Task RespondAsync(HttpContext context, StatelessToolCall request)
    {
        CallToolResult? result = null;
        JsonRpcError? error = null;
        try
        {
            result = await _toolCalls.CallAsync(context, request.Name, request.Arguments, context.RequestAborted);
        }
        catch (McpProtocolException ex)
        {
            error = new JsonRpcError { Id = request.Id, Error = McpToolCalls.ToErrorDetail(ex) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As the SDK does: an accepted request always gets an answer, never a stack trace.
            Log.ToolCallFailed(_logger, ex);
            error = new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InternalError, Message = "The gateway failed while calling the tool; the request id in X-Request-ID locates it in the logs." },
            };
        }

        // Serialized whole before anything is sent: one write with a Content-Length instead of a chunked body and a
        // separate terminating chunk when the request ends.
        var reply = ReplyBuffer.Rent();
        try
        {
            if (error is null)
            {
                WriteResponse(reply.Writer, request.Id, result!);
            }
            else
            {
                JsonSerializer.Serialize(reply.Writer, (JsonRpcMessage)error, s_messageType);
            }

            reply.Writer.Flush();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = reply.Written.Length;
            await context.Response.Body.WriteAsync(reply.Written, context.RequestAborted);
        }
        finally
        {
            ReplyBuffer.Return(reply);
        }
    }

    /// <summary>
    /// The SDK's JSON-RPC response for a result, written around the result itself rather than through a JsonNode copy
    /// of it (what <see cref="JsonRpcResponse.Result"/> needs). Same members in the same order, which
    /// ToolCallFastPathDifferentialTests checks member for member.
    /// </summary>
    private static void WriteResponse(Utf8JsonWriter writer, RequestId id, CallToolResult result)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(s_result);
        JsonSerializer.Serialize(writer, result, s_resultType);
        writer.WritePropertyName(s_id);
        JsonSerializer.Serialize(writer, id, s_idType);
        writer.WriteString(s_jsonrpc, s_version);
        writer.WriteEndObject();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "tools/call failed unexpectedly")]
        public static partial void ToolCallFailed(ILogger logger, Exception exception);
    }
}
