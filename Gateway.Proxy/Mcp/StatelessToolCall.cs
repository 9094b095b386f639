using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// A <c>tools/call</c> request in its plain form, read straight from the strictly parsed body: the fast path needs only
/// its id, tool name and arguments, so it skips the SDK's message model (a second parse into JsonNodes and a copy of
/// the arguments back into a JsonElement). Anything less plain is left to the general path, which answers it the same
/// way or refuses it with the precise error.
/// </summary>
internal readonly record struct StatelessToolCall(RequestId Id, string Name, JsonElement Arguments)
{
    /// <summary>
    /// True for exactly <c>{"jsonrpc":"2.0","id":…,"method":"tools/call","params":{"name":"…","arguments":{…},"_meta":{…}}}</c>
    /// with a string or integer id, optional arguments and an optional <c>_meta</c> that asks for no progress; the
    /// arguments are copied out of the request's pooled buffer.
    /// </summary>
    public static bool TryRead(JsonElement root, out StatelessToolCall call)
    {
        call = default;
        bool isVersion2 = false, isToolsCall = false;
        JsonElement idElement = default, parameters = default;
        foreach (var member in root.EnumerateObject())
        {
            var value = member.Value;
            if (member.NameEquals("jsonrpc"u8))
            {
                isVersion2 = value.ValueKind == JsonValueKind.String && value.ValueEquals("2.0"u8);
            }
            else if (member.NameEquals("method"u8))
            {
                isToolsCall = value.ValueKind == JsonValueKind.String && value.ValueEquals("tools/call"u8);
            }
            else if (member.NameEquals("id"u8))
            {
                idElement = value;
            }
            else if (member.NameEquals("params"u8) && value.ValueKind == JsonValueKind.Object)
            {
                parameters = value;
            }
            else
            {
                return false;
            }
        }

        if (!isVersion2 || !isToolsCall || parameters.ValueKind != JsonValueKind.Object
            || JsonRpcMessageReader.RequestIdOf(idElement) is not { Id: not null } id)
        {
            return false;
        }

        string? name = null;
        JsonElement arguments = default;
        foreach (var member in parameters.EnumerateObject())
        {
            var value = member.Value;
            if (member.NameEquals("name"u8) && value.ValueKind == JsonValueKind.String)
            {
                name = value.GetString();
            }
            else if (member.NameEquals("arguments"u8) && value.ValueKind == JsonValueKind.Object)
            {
                arguments = value;
            }
            else if (!member.NameEquals("_meta"u8) || value.ValueKind != JsonValueKind.Object || value.TryGetProperty("progressToken"u8, out _))
            {
                return false;
            }
        }

        if (name is null)
        {
            return false;
        }

        call = new StatelessToolCall(id, name, arguments.ValueKind == JsonValueKind.Undefined ? default : arguments.Clone());
        return true;
    }
}
