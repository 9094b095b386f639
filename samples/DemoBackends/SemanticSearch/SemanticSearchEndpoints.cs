using DemoBackends.Common;

namespace DemoBackends.SemanticSearch;

internal static class SemanticSearchEndpoints
{
    private const int MaxTopK = 50;

    public static void MapSemanticSearch(this IEndpointRouteBuilder endpoints)
    {
        var engine = new SearchEngine(BuiltInCorpus.Documents);
        endpoints.MapPost("/v1/search", (HttpRequest http) => SearchAsync(http, engine));
        endpoints.MapPost("/v1/hybrid-search", (HttpRequest http) => HybridSearchAsync(http, engine));
        endpoints.MapGet("/v1/documents/{id}", (string id) => GetDocument(engine, id));
        endpoints.MapGet("/v1/collections", () =>
            ApiResults.Ok(new CollectionsResponse(engine.Collections()), DemoJson.Context.CollectionsResponse));
    }

    private static async Task<IResult> SearchAsync(HttpRequest http, SearchEngine engine)
    {
        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.SearchRequest);
        if (request is null)
        {
            return error!;
        }

        var invalid = Validate(engine, request.Query, request.TopK, request.Collection);
        if (invalid is not null)
        {
            return invalid;
        }

        var hits = engine.Semantic(request.Query!, request.TopK, request.Collection);
        return ApiResults.Ok(new SearchResponse(request.Query!, hits), DemoJson.Context.SearchResponse);
    }

    private static async Task<IResult> HybridSearchAsync(HttpRequest http, SearchEngine engine)
    {
        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.HybridSearchRequest);
        if (request is null)
        {
            return error!;
        }

        var invalid = Validate(engine, request.Query, request.TopK, request.Collection);
        if (invalid is not null)
        {
            return invalid;
        }

        if (request.Alpha is < 0 or > 1 || double.IsNaN(request.Alpha))
        {
            return ApiResults.InvalidField("alpha", "must be a number from 0 (pure BM25) to 1 (pure semantic).");
        }

        var hits = engine.Hybrid(request.Query!, request.TopK, request.Alpha, request.Collection);
        return ApiResults.Ok(new SearchResponse(request.Query!, hits), DemoJson.Context.SearchResponse);
    }

    private static IResult GetDocument(SearchEngine engine, string id) =>
        engine.Find(id) is { } document
            ? ApiResults.Ok(document, DemoJson.Context.SearchDocument)
            : ApiResults.NotFound($"No document with id '{id}'. List collections at /v1/collections or search at /v1/search.");

    private static IResult? Validate(SearchEngine engine, string? query, int topK, string? collection)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return ApiResults.MissingField("query");
        }

        if (topK is < 1 or > MaxTopK)
        {
            return ApiResults.InvalidField("top_k", $"must be an integer from 1 to {MaxTopK}.");
        }

        if (collection is null)
        {
            return null;
        }

        var known = engine.Collections().ConvertAll(c => c.Name);
        return known.Exists(name => string.Equals(name, collection, StringComparison.OrdinalIgnoreCase))
            ? null
            : ApiResults.InvalidField("collection", $"must be one of: {string.Join(", ", known)}.");
    }
}
