namespace DemoBackends.SemanticSearch;

// Request DTOs use setters, not init: the JSON source generator assigns every init-only property and would wipe the defaults.
public sealed class SearchRequest
{
    public string? Query { get; set; }
    public int TopK { get; set; } = 5;
    public string? Collection { get; set; }
}

public sealed class HybridSearchRequest
{
    public string? Query { get; set; }
    public int TopK { get; set; } = 5;
    public double Alpha { get; set; } = 0.5;
    public string? Collection { get; set; }
}

public sealed record SearchHit(string Id, string Title, string Collection, double Score, string Snippet);

public sealed record SearchResponse(string Query, IReadOnlyList<SearchHit> Results);

public sealed record CollectionInfo(string Name, int Documents);

public sealed record CollectionsResponse(IReadOnlyList<CollectionInfo> Collections);
