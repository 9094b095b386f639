namespace DemoBackends.Text;

/// <summary>Picks the sentences that carry the most frequent keywords, kept in their original order.</summary>
internal static class ExtractiveSummarizer
{
    public static List<string> Summarize(string text, int maxSentences)
    {
        var sentences = Sentences.Split(text);
        if (sentences.Count <= maxSentences)
        {
            return sentences;
        }

        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var keyword in Keywords.Top(text, int.MaxValue))
        {
            weights[keyword.Term] = keyword.Count;
        }

        var scored = new List<(int Index, int Score)>(sentences.Count);
        for (var i = 0; i < sentences.Count; i++)
        {
            var score = 0;
            foreach (var word in WordTokenizer.ContentWords(sentences[i]))
            {
                score += weights.GetValueOrDefault(word);
            }

            scored.Add((i, score));
        }

        scored.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        var chosen = scored.GetRange(0, maxSentences);
        chosen.Sort((a, b) => a.Index.CompareTo(b.Index));

        var summary = new List<string>(maxSentences);
        foreach (var (index, _) in chosen)
        {
            summary.Add(sentences[index]);
        }

        return summary;
    }
}
