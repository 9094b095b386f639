namespace DemoBackends.SemanticSearch;

public sealed class SearchRequest
{
    public string? Query { get; init; }
    public int TopK { get; init; } = 5;
    public string? Collection { get; init; }
}

public sealed class HybridSearchRequest
{
    public string? Query { get; init; }
    public int TopK { get; init; } = 5;
    public double Alpha { get; init; } = 0.5;
    public string? Collection { get; init; }
}

public sealed record SearchHit(string Id, string Title, string Collection, double Score, string Snippet);

public sealed record SearchResponse(string Query, IReadOnlyList<SearchHit> Results);

public sealed record CollectionInfo(string Name, int Documents);

public sealed record CollectionsResponse(IReadOnlyList<CollectionInfo> Collections);
