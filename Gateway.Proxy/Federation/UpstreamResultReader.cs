using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Sends an upstream <c>tools/call</c> and reads its result. When the call is cancelled while it runs, the upstream is
/// told with <c>notifications/cancelled</c> for its request: over Streamable HTTP the SDK's client only aborts the POST
/// (it registers its own notice after the answer has been read), which an upstream need not take as a cancellation.
/// SDK 2.4.0 cannot read a content block that carries
/// <c>annotations</c> with its default serializer options (its content converter adds the options' own resolver chain to
/// a new chain, which System.Text.Json refuses), so <c>McpClient.CallToolAsync</c> fails on such results; the same
/// resolvers as one flat combined resolver read them, and everything else, the same way.
/// </summary>
internal static class UpstreamResultReader
{
    private static readonly JsonSerializerOptions s_options = new(McpJsonUtilities.DefaultOptions)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine([.. McpJsonUtilities.DefaultOptions.TypeInfoResolverChain]),
    };

    private static readonly TimeSpan s_cancelNoticeTimeout = TimeSpan.FromSeconds(5);

    private static readonly JsonTypeInfo s_resultType = s_options.GetTypeInfo(typeof(CallToolResult));

    /// <param name="parameters">The tool's name and <c>_meta</c>.</param>
    /// <param name="arguments">The call's arguments object, written into the request as it is (no copy): it must stay
    /// readable until the call returns, as the calling request's own body does.</param>
    public static async Task<CallToolResult> CallToolAsync(McpClient client, CallToolRequestParams parameters, JsonElement arguments, CancellationToken cancellationToken)
    {
        var id = new RequestId("mcp-gateway-" + Guid.NewGuid().ToString("N"));
        await using var cancelled = cancellationToken.Register(() => _ = SendCancelledAsync(client, id));
        var request = new JsonObject { ["name"] = parameters.Name, ["arguments"] = JsonObject.Create(arguments) };
        if (parameters.Meta is { } meta)
        {
            // A copy: the call is sent again with the same parameters when the upstream had forgotten the session, and a
            // node belongs to one parent.
            request["_meta"] = meta.DeepClone();
        }

        var response = await client.SendRequestAsync(new JsonRpcRequest { Id = id, Method = RequestMethods.ToolsCall, Params = request }, cancellationToken);
        return response.Result is JsonNode result && result.Deserialize(s_resultType) is CallToolResult read
            ? read
            : throw new McpProtocolException("The upstream answered tools/call without a result.", McpErrorCode.InternalError);
    }

    private static async Task SendCancelledAsync(McpClient client, RequestId id)
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_cancelNoticeTimeout);
            await client.SendNotificationAsync(NotificationMethods.CancelledNotification,
                new CancelledNotificationParams { RequestId = id, Reason = "The caller cancelled the tool call." },
                McpJsonUtilities.DefaultOptions, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The session may be gone with the call; the upstream then has nothing left to cancel.
        }
    }
}
