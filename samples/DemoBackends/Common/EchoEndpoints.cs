namespace DemoBackends.Common;

/// <summary>What the backend received, so tests can prove which headers a proxy forwarded or stripped.</summary>
public sealed record EchoResponse(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body);

internal static class EchoEndpoints
{
    public static void MapEcho(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map("/echo/{**path}", EchoAsync);

    private static async Task<IResult> EchoAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);

        var query = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            query[name] = values.ToString();
        }

        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        var echo = new EchoResponse(request.Method, request.Path.Value ?? "/", query, headers, body);
        return ApiResults.Ok(echo, DemoJson.Context.EchoResponse);
    }
}
