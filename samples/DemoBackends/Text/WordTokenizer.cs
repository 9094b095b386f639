namespace DemoBackends.Text;

/// <summary>Lower-cased words: runs of letters and digits; everything else separates.</summary>
internal static class WordTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var span = text.AsSpan();
        var start = -1;
        for (var i = 0; i <= span.Length; i++)
        {
            var isWordChar = i < span.Length && char.IsLetterOrDigit(span[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                tokens.Add(span[start..i].ToString().ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }

    /// <summary>Words worth indexing or reporting: not a stop word and at least three characters.</summary>
    public static List<string> ContentWords(string text)
    {
        var words = Tokenize(text);
        words.RemoveAll(word => word.Length < 3 || StopWords.Contains(word));
        return words;
    }

    /// <summary>Whitespace-separated tokens, the unit of the completion API's token counts.</summary>
    public static int CountWhitespaceTokens(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one", "our", "out",
        "has", "have", "had", "his", "how", "its", "may", "new", "now", "see", "two", "who", "did", "get", "let",
        "say", "she", "too", "use", "that", "this", "with", "from", "they", "will", "would", "there", "their",
        "what", "about", "which", "when", "where", "into", "than", "then", "them", "these", "those", "each",
        "been", "being", "were", "also", "only", "over", "such", "some", "more", "most", "other", "very", "just",
        "should", "could", "while", "every", "your", "does", "using", "used", "via",
    };
}
