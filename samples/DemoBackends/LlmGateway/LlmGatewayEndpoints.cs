using DemoBackends.Common;

namespace DemoBackends.LlmGateway;

internal static class LlmGatewayEndpoints
{
    private const string RequestIdHeader = "X-Request-ID";

    public static void MapLlmGateway(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/v1/completions", CompleteAsync);

    private static async Task<IResult> CompleteAsync(HttpRequest http)
    {
        if (http.Headers.TryGetValue(RequestIdHeader, out var requestId))
        {
            http.HttpContext.Response.Headers[RequestIdHeader] = requestId;
        }

        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.CompletionRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            return ApiResults.MissingField("prompt");
        }

        if (request.MaxTokens is < 1 or > 2048)
        {
            return ApiResults.InvalidField("max_tokens", "must be an integer from 1 to 2048.");
        }

        if (request.Temperature is < 0 or > 2 || double.IsNaN(request.Temperature))
        {
            return ApiResults.InvalidField("temperature", "must be a number from 0 to 2.");
        }

        var model = string.IsNullOrWhiteSpace(request.Model) ? CompletionGenerator.DefaultModel : request.Model;
        var response = CompletionGenerator.Complete(request.Prompt, request.MaxTokens, model);
        return ApiResults.Ok(response, DemoJson.Context.CompletionResponse);
    }
}
