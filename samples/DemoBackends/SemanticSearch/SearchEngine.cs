using DemoBackends.Text;

namespace DemoBackends.SemanticSearch;

/// <summary>Semantic (trigram cosine) and hybrid (cosine blended with max-normalised BM25) ranking over a fixed corpus.</summary>
internal sealed class SearchEngine
{
    private const int ScoreDecimals = 4;
    private readonly IReadOnlyList<SearchDocument> _documents;
    private readonly Bm25Index _bm25;
    private readonly float[][] _embeddings;

    public SearchEngine(IReadOnlyList<SearchDocument> documents)
    {
        _documents = documents;
        _bm25 = new Bm25Index(documents);
        _embeddings = new float[documents.Count][];
        for (var i = 0; i < documents.Count; i++)
        {
            _embeddings[i] = TrigramEmbedding.Embed(documents[i].Title + " " + documents[i].Text);
        }
    }

    public IReadOnlyList<SearchDocument> Documents => _documents;

    public List<SearchHit> Semantic(string query, int topK, string? collection) =>
        Rank(query, SemanticScores(query), topK, collection);

    /// <summary><paramref name="alpha"/> is the weight of the semantic score; 1 - alpha weighs BM25.</summary>
    public List<SearchHit> Hybrid(string query, int topK, double alpha, string? collection)
    {
        var semantic = SemanticScores(query);
        var keyword = _bm25.Score(query);
        var maxKeyword = 0.0;
        for (var i = 0; i < keyword.Length; i++)
        {
            if (InCollection(i, collection))
            {
                maxKeyword = Math.Max(maxKeyword, keyword[i]);
            }
        }

        var combined = new double[semantic.Length];
        for (var i = 0; i < combined.Length; i++)
        {
            var normalizedKeyword = maxKeyword > 0 ? keyword[i] / maxKeyword : 0;
            combined[i] = (alpha * semantic[i]) + ((1 - alpha) * normalizedKeyword);
        }

        return Rank(query, combined, topK, collection);
    }

    public SearchDocument? Find(string id)
    {
        foreach (var document in _documents)
        {
            if (string.Equals(document.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return document;
            }
        }

        return null;
    }

    public List<CollectionInfo> Collections()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in _documents)
        {
            counts[document.Collection] = counts.GetValueOrDefault(document.Collection) + 1;
        }

        var collections = new List<CollectionInfo>(counts.Count);
        foreach (var (name, documents) in counts)
        {
            collections.Add(new CollectionInfo(name, documents));
        }

        return collections;
    }

    private double[] SemanticScores(string query)
    {
        var queryVector = TrigramEmbedding.Embed(query);
        var scores = new double[_documents.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = TrigramEmbedding.Cosine(queryVector, _embeddings[i]);
        }

        return scores;
    }

    private List<SearchHit> Rank(string query, double[] scores, int topK, string? collection)
    {
        var candidates = new List<int>();
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > 0 && InCollection(i, collection))
            {
                candidates.Add(i);
            }
        }

        candidates.Sort((a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var queryWords = new HashSet<string>(WordTokenizer.ContentWords(query), StringComparer.Ordinal);
        var hits = new List<SearchHit>(Math.Min(topK, candidates.Count));
        for (var rank = 0; rank < candidates.Count && rank < topK; rank++)
        {
            var document = _documents[candidates[rank]];
            var score = Math.Round(scores[candidates[rank]], ScoreDecimals);
            hits.Add(new SearchHit(document.Id, document.Title, document.Collection, score, Snippet(document, queryWords)));
        }

        return hits;
    }

    private bool InCollection(int index, string? collection) =>
        collection is null || string.Equals(_documents[index].Collection, collection, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first sentence that mentions a query word, else the first sentence.</summary>
    private static string Snippet(SearchDocument document, HashSet<string> queryWords)
    {
        var sentences = Sentences.Split(document.Text);
        foreach (var sentence in sentences)
        {
            foreach (var word in WordTokenizer.ContentWords(sentence))
            {
                if (queryWords.Contains(word))
                {
                    return sentence;
                }
            }
        }

        return sentences.Count > 0 ? sentences[0] : string.Empty;
    }
}
