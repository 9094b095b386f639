using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>Raw HTTP access to /mcp for protocol-level assertions.</summary>
public static class McpHttp
{
    public static HttpRequestMessage Post(Uri endpoint, string body, string accept = "application/json, text/event-stream",
        string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>The single JSON-RPC message of a response, whether sent as JSON or as one SSE event.</summary>
    public static async Task<JsonObject> ReadMessageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var data = text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).LastOrDefault()
                ?? throw new AssertionException($"no SSE data event in: {text}");
            return JsonNode.Parse(data)!.AsObject();
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    public static string Request(int id, string method, string? paramsJson = null) =>
        paramsJson is null
            ? $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}"}"""
            : $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""";
}
