using DemoBackends.Common;

namespace DemoBackends.CodeOrchestrator;

internal static class CodeOrchestratorEndpoints
{
    public static void MapCodeOrchestrator(this IEndpointRouteBuilder endpoints, string codeRoot)
    {
        var reader = new CodeTreeReader(new CodeRoot(codeRoot));
        endpoints.MapPost("/v1/analyze", (HttpRequest http) => AnalyzeAsync(http, reader));
        endpoints.MapPost("/v1/patterns/audit", (HttpRequest http) => AuditAsync(http, reader));
    }

    private static async Task<IResult> AnalyzeAsync(HttpRequest http, CodeTreeReader reader)
    {
        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.AnalyzeRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Path))
        {
            return ApiResults.MissingField("path");
        }

        if (request.Language is not null && !Languages.IsKnown(request.Language))
        {
            return ApiResults.InvalidField("language", $"must be one of: {string.Join(", ", Languages.Known)}.");
        }

        var language = request.Language?.ToLowerInvariant();
        var target = reader.Locate(request.Path);
        return target.Error ?? (target.IsDirectory
            ? ApiResults.Ok(reader.AnalyzeDirectory(target.FullPath, language), DemoJson.Context.DirectoryAnalysis)
            : ApiResults.Ok(reader.AnalyzeFile(target.FullPath, language), DemoJson.Context.FileAnalysis));
    }

    private static async Task<IResult> AuditAsync(HttpRequest http, CodeTreeReader reader)
    {
        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.AuditRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Path))
        {
            return ApiResults.MissingField("path");
        }

        var patterns = request.Patterns ?? [.. AuditPatterns.All];
        if (patterns.Count == 0 || !patterns.TrueForAll(p => AuditPatterns.All.Contains(p, StringComparer.Ordinal)))
        {
            return ApiResults.InvalidField("patterns", $"must be a non-empty list drawn from: {string.Join(", ", AuditPatterns.All)}.");
        }

        var target = reader.Locate(request.Path);
        return target.Error ?? ApiResults.Ok(reader.Audit(target.FullPath, patterns), DemoJson.Context.AuditResponse);
    }
}
