using DemoBackends.Text;

namespace DemoBackends.SemanticSearch;

/// <summary>Okapi BM25 over the content words of each document's title and text.</summary>
internal sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly List<Dictionary<string, int>> _termFrequencies = [];
    private readonly List<int> _lengths = [];
    private readonly Dictionary<string, int> _documentFrequencies = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<SearchDocument> documents)
    {
        var totalLength = 0;
        foreach (var document in documents)
        {
            var words = WordTokenizer.ContentWords(document.Title + " " + document.Text);
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var word in words)
            {
                frequencies[word] = frequencies.GetValueOrDefault(word) + 1;
            }

            foreach (var term in frequencies.Keys)
            {
                _documentFrequencies[term] = _documentFrequencies.GetValueOrDefault(term) + 1;
            }

            _termFrequencies.Add(frequencies);
            _lengths.Add(words.Count);
            totalLength += words.Count;
        }

        _averageLength = documents.Count == 0 ? 1 : (double)totalLength / documents.Count;
    }

    /// <summary>Scores every document (index-aligned with the constructor's list) against the query.</summary>
    public double[] Score(string query)
    {
        var scores = new double[_termFrequencies.Count];
        var documentCount = _termFrequencies.Count;
        foreach (var term in new HashSet<string>(WordTokenizer.ContentWords(query), StringComparer.Ordinal))
        {
            if (!_documentFrequencies.TryGetValue(term, out var df))
            {
                continue;
            }

            var idf = Math.Log(1 + ((documentCount - df + 0.5) / (df + 0.5)));
            for (var i = 0; i < documentCount; i++)
            {
                if (_termFrequencies[i].TryGetValue(term, out var tf))
                {
                    var lengthNorm = 1 - B + (B * _lengths[i] / _averageLength);
                    scores[i] += idf * (tf * (K1 + 1)) / (tf + (K1 * lengthNorm));
                }
            }
        }

        return scores;
    }
}
