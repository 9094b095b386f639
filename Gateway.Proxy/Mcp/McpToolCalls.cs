using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Tools;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// The one implementation of MCP <c>tools/call</c>: runs the call through the dispatcher and renders the outcome as a
/// <c>CallToolResult</c>, or as a JSON-RPC error (<see cref="McpProtocolException"/>) where the caller needs one.
/// Used by the SDK server's handler and by the stateless fast path.
/// </summary>
public sealed class McpToolCalls
{
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo s_nodeType = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonNode));

    private readonly ToolCallDispatcher _dispatcher;

    public McpToolCalls(ToolCallDispatcher dispatcher) => _dispatcher = dispatcher;

    public Task<CallToolResult> CallAsync(HttpContext http, string toolName, JsonNode? arguments, CancellationToken cancellationToken) =>
        CallAsync(http, toolName, ArgumentsOf(arguments), cancellationToken);

    /// <summary>Arguments from the SDK's message model as the dispatcher takes them; default when the client sent none.</summary>
    public static JsonElement ArgumentsOf(JsonNode? arguments) =>
        arguments is null ? default : JsonSerializer.SerializeToElement(arguments, s_nodeType);

    /// <param name="arguments">The arguments object; default when the client sent none.</param>
    public async Task<CallToolResult> CallAsync(HttpContext http, string toolName, JsonElement arguments, CancellationToken cancellationToken)
    {
        var outcome = await _dispatcher.CallAsync(http, toolName, arguments, CallEntryPoint.Mcp, cancellationToken);
        if (outcome.Rejection is not { } rejection)
        {
            return outcome.Result!;
        }

        if (rejection.Kind == RejectionKind.ProtocolError)
        {
            throw ToProtocolException(rejection, McpErrorCode.InvalidParams);
        }

        if (rejection.Data is not null && rejection.Code is GatewayErrorCodes.Unauthorized or GatewayErrorCodes.Forbidden)
        {
            // The client, not the model, must act on a missing credential or scope: a JSON-RPC error carries data.
            throw ToProtocolException(rejection, (McpErrorCode)JsonRpcErrors.ServerError);
        }

        return ToolResultMapper.FromRejection(rejection);
    }

    /// <summary>The JSON-RPC error the SDK would send for this exception: its code, message and <c>Data</c> entries.</summary>
    public static JsonRpcErrorDetail ToErrorDetail(McpProtocolException exception)
    {
        JsonObject? data = null;
        foreach (System.Collections.DictionaryEntry entry in exception.Data)
        {
            if (entry.Key is string key)
            {
                (data ??= [])[key] = entry.Value switch
                {
                    null => null,
                    string s => JsonValue.Create(s),
                    int i => JsonValue.Create(i),
                    long l => JsonValue.Create(l),
                    double d => JsonValue.Create(d),
                    bool b => JsonValue.Create(b),
                    DateTimeOffset t => JsonValue.Create(t),
                    var other => JsonValue.Create(other.ToString()),
                };
            }
        }

        return new JsonRpcErrorDetail { Code = (int)exception.ErrorCode, Message = exception.Message, Data = data };
    }

    /// <summary>A rejection the caller's client must act on (rate limit, refusal budget) as a JSON-RPC -32000 error with data.</summary>
    public static JsonRpcErrorDetail ToErrorDetail(GatewayRejection rejection) =>
        ToErrorDetail(ToProtocolException(rejection, (McpErrorCode)JsonRpcErrors.ServerError));

    private static McpProtocolException ToProtocolException(GatewayRejection rejection, McpErrorCode code)
    {
        var exception = new McpProtocolException(rejection.Message, code);
        exception.Data["code"] = rejection.Code;
        if (rejection.Data is not null)
        {
            foreach (var (key, value) in rejection.Data)
            {
                exception.Data[key] = value;
            }
        }

        return exception;
    }
}
