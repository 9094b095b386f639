using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Pipeline;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Transforms.Mapping;

/// <summary>
/// Turns a backend's answer into an MCP <c>CallToolResult</c>. Failures become <c>isError</c> results that name the
/// tool, the backend and what happened, so the model can explain or retry; nothing internal (stack traces,
/// exception types, destination addresses) is passed on.
/// </summary>
public static class ToolResultMapper
{
    private const int MaxBackendMessageLength = 500;

    public static CallToolResult Map(ToolDefinition tool, in BackendResponse response, out string? errorCode)
    {
        if (response.Error != ForwarderError.None || response.StatusCode >= 500 || response.StatusCode == 0)
        {
            errorCode = ClassifyFailure(response);
            return Error(FailureMessage(tool, response, errorCode));
        }

        var text = Encoding.UTF8.GetString(response.Body.Span);
        if (response.StatusCode >= 400)
        {
            errorCode = ClassifyFailure(response);
            return Error($"{errorCode}: tool '{tool.Name}' was rejected by backend '{tool.ClusterId}' (HTTP {response.StatusCode}): {BackendMessage(response.Body.Span, text)}");
        }

        errorCode = null;
        var result = new CallToolResult { Content = [new TextContentBlock { Text = text }] };
        if (tool.OutputSchema is not null && IsJson(response.ContentType) && TryParseObject(response.Body, out var structured))
        {
            result.StructuredContent = structured;
        }

        return result;
    }

    /// <summary>Key in the result's <c>_meta</c> holding a rejection's code and machine-readable figures.</summary>
    public const string ErrorMetaKey = "mcp-gateway/error";

    /// <summary>
    /// The model reads the text (code, what was wrong, what to do); clients read the same figures (retry time,
    /// clause, limit) from <c>_meta</c>.
    /// </summary>
    public static CallToolResult FromRejection(GatewayRejection rejection)
    {
        var result = Error($"{rejection.Code}: {rejection.Message}");
        var error = new JsonObject { ["code"] = rejection.Code };
        if (rejection.Data is { } data)
        {
            foreach (var (key, value) in data)
            {
                error[key] = ToNode(value);
            }
        }

        result.Meta = new JsonObject { [ErrorMetaKey] = error };
        return result;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        IEnumerable<string> items => new JsonArray(items.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray()),
        var other => JsonValue.Create(other.ToString()),
    };

    private static CallToolResult Error(string message) =>
        new() { IsError = true, Content = [new TextContentBlock { Text = message }] };

    public static string ClassifyFailure(in BackendResponse response) => response.Error switch
    {
        ForwarderError.RequestTimedOut => GatewayErrorCodes.ToolTimeout,
        ForwarderError.None when response.StatusCode == 504 => GatewayErrorCodes.ToolTimeout,
        ForwarderError.None when response.StatusCode is 502 or 503 => GatewayErrorCodes.BackendUnavailable,
        ForwarderError.None when response.StatusCode is >= 400 and < 500 => GatewayErrorCodes.BackendRejected,
        ForwarderError.None => GatewayErrorCodes.BackendError,
        ForwarderError.NoAvailableDestinations => GatewayErrorCodes.BackendUnavailable,
        ForwarderError.Request => GatewayErrorCodes.BackendUnavailable,
        _ => GatewayErrorCodes.BackendError,
    };

    private static string FailureMessage(ToolDefinition tool, in BackendResponse response, string code) => code switch
    {
        GatewayErrorCodes.ToolTimeout =>
            $"{code}: tool '{tool.Name}' timed out waiting for backend '{tool.ClusterId}'. The call may or may not have taken effect; retry only if the tool is idempotent.",
        GatewayErrorCodes.BackendUnavailable when response.Error == ForwarderError.NoAvailableDestinations =>
            $"{code}: tool '{tool.Name}' has no healthy destination in backend '{tool.ClusterId}'. Retry later; operators can check /status/servers/{tool.ClusterId}.",
        GatewayErrorCodes.BackendUnavailable when response.Error != ForwarderError.None =>
            $"{code}: tool '{tool.Name}' could not reach backend '{tool.ClusterId}' ({Describe(response.Error)}). Retry later; operators can check /status/servers/{tool.ClusterId}.",
        GatewayErrorCodes.BackendUnavailable =>
            $"{code}: backend '{tool.ClusterId}' of tool '{tool.Name}' is unavailable (HTTP {response.StatusCode}). Retry later.",
        _ => response.Error != ForwarderError.None
            ? $"{code}: tool '{tool.Name}' failed while talking to backend '{tool.ClusterId}' ({Describe(response.Error)})."
            : $"{code}: backend '{tool.ClusterId}' failed while running tool '{tool.Name}' (HTTP {response.StatusCode}): {BackendMessage(response.Body.Span, Encoding.UTF8.GetString(response.Body.Span))}",
    };

    private static string Describe(ForwarderError error) => error switch
    {
        ForwarderError.Request => "connection failed or was refused",
        ForwarderError.RequestTimedOut => "timed out",
        ForwarderError.RequestCanceled => "the call was cancelled",
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination or ForwarderError.RequestBodyCanceled => "sending the request failed",
        ForwarderError.ResponseBodyDestination or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient => "reading the response failed",
        ForwarderError.NoAvailableDestinations => "no healthy destination",
        _ => "the proxy could not complete the call",
    };

    /// <summary>Prefers a JSON <c>error</c>/<c>message</c>/<c>detail</c> field; falls back to the (truncated) text.</summary>
    private static string BackendMessage(ReadOnlySpan<byte> body, string text)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var parts = new List<string>(2);
                foreach (var name in (ReadOnlySpan<string>)["error", "message", "detail", "title"])
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(value.GetString()!);
                    }
                }

                if (parts.Count > 0)
                {
                    return Truncate(string.Join(": ", parts));
                }
            }
        }
        catch (JsonException)
        {
        }

        return text.Length == 0 ? "(empty response)" : Truncate(text);
    }

    private static string Truncate(string text) => text.Length <= MaxBackendMessageLength ? text : text[..MaxBackendMessageLength] + "…";

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    private static bool TryParseObject(ReadOnlyMemory<byte> body, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            element = document.RootElement.Clone();
            return element.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }
}
