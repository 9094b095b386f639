namespace DemoBackends.Text;

public sealed record KeywordCount(string Term, int Count);

/// <summary>Most frequent content words; ties keep the order of first appearance so results are deterministic.</summary>
internal static class Keywords
{
    public static List<KeywordCount> Top(string text, int count)
    {
        var firstSeenOrder = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in WordTokenizer.ContentWords(text))
        {
            if (counts.TryGetValue(word, out var seen))
            {
                counts[word] = seen + 1;
            }
            else
            {
                counts[word] = 1;
                firstSeenOrder.Add(word);
            }
        }

        // OrderByDescending is a stable sort, which is what keeps first-appearance order among equal counts.
        return [.. firstSeenOrder.Select(word => new KeywordCount(word, counts[word])).OrderByDescending(k => k.Count).Take(count)];
    }
}
