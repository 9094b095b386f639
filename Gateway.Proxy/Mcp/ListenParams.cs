using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// The shape <c>subscriptions/listen</c> params must have before the SDK reads them (it answers a wrong type with an
/// internal error): an object <c>notifications</c> whose <c>*ListChanged</c> members are booleans and whose
/// <c>resourceSubscriptions</c> is an array of strings. Other members of <c>notifications</c> are notification types
/// the gateway does not know: left out of the acknowledgement, as SEP-2575 has it.
/// </summary>
internal static class ListenParams
{
    private static readonly string[] s_flags = ["toolsListChanged", "promptsListChanged", "resourcesListChanged"];

    public static string? Invalid(JsonObject? parameters)
    {
        if (parameters?["notifications"] is not JsonObject notifications)
        {
            return "Invalid params: subscriptions/listen needs params with an object 'notifications', e.g. {\"notifications\":{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"mcp-gateway://{server}/{uri}\"]}}.";
        }

        foreach (var flag in s_flags)
        {
            if (notifications[flag] is { } value && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"Invalid params: 'notifications.{flag}' of subscriptions/listen must be true or false.";
            }
        }

        if (notifications["resourceSubscriptions"] is not { } uris)
        {
            return null;
        }

        if (uris is not JsonArray list)
        {
            return "Invalid params: 'notifications.resourceSubscriptions' of subscriptions/listen must be an array of resource URIs.";
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i]?.GetValueKind() != JsonValueKind.String)
            {
                return $"Invalid params: 'notifications.resourceSubscriptions[{i}]' of subscriptions/listen must be a resource URI string.";
            }
        }

        return null;
    }
}
