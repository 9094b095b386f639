namespace DemoBackends.Text;

public sealed record KeywordCount(string Term, int Count);

/// <summary>Most frequent content words; ties keep the order of first appearance so results are deterministic.</summary>
internal static class Keywords
{
    public static List<KeywordCount> Top(string text, int count)
    {
        var order = new List<string>();
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
                order.Add(word);
            }
        }

        var ranked = new List<KeywordCount>(order.Count);
        foreach (var word in order)
        {
            ranked.Add(new KeywordCount(word, counts[word]));
        }

        // List.Sort is unstable; the first-appearance index breaks ties explicitly.
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < order.Count; i++)
        {
            firstSeen[order[i]] = i;
        }

        ranked.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : firstSeen[a.Term].CompareTo(firstSeen[b.Term]));
        return ranked.Count > count ? ranked.GetRange(0, count) : ranked;
    }
}
