using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Sends an upstream <c>tools/call</c> and reads its result. SDK 2.4.0 cannot read a content block that carries
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

    private static readonly JsonTypeInfo s_paramsType = s_options.GetTypeInfo(typeof(CallToolRequestParams));
    private static readonly JsonTypeInfo s_resultType = s_options.GetTypeInfo(typeof(CallToolResult));

    public static async Task<CallToolResult> CallToolAsync(McpClient client, CallToolRequestParams parameters, CancellationToken cancellationToken)
    {
        var response = await client.SendRequestAsync(
            new JsonRpcRequest { Method = RequestMethods.ToolsCall, Params = JsonSerializer.SerializeToNode(parameters, s_paramsType) },
            cancellationToken);
        return response.Result is JsonNode result && result.Deserialize(s_resultType) is CallToolResult read
            ? read
            : throw new McpProtocolException("The upstream answered tools/call without a result.", McpErrorCode.InternalError);
    }
}
