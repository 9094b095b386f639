namespace Gateway.Transforms.Validation.Cypher;

/// <summary>Case-insensitive (ASCII only, like Neo4j's lexer) keyword lookup without allocation.</summary>
internal static class CypherKeywords
{
    /// <summary>Longest keyword; longer words are never keywords and need not be decoded.</summary>
    public const int MaxLength = 13;

    private static readonly (string Text, CypherKeyword Keyword)[][] ByLength = BuildTable();

    public static CypherKeyword Lookup(ReadOnlySpan<char> word)
    {
        if (word.Length == 0 || word.Length > MaxLength)
        {
            return CypherKeyword.None;
        }

        foreach (var (text, keyword) in ByLength[word.Length])
        {
            if (AsciiEqualsIgnoreCase(word, text))
            {
                return keyword;
            }
        }

        return CypherKeyword.None;
    }

    /// <summary>The keyword's canonical upper-case spelling, e.g. "CREATE".</summary>
    public static string Text(CypherKeyword keyword)
    {
        foreach (var bucket in ByLength)
        {
            foreach (var (text, candidate) in bucket)
            {
                if (candidate == keyword)
                {
                    return text;
                }
            }
        }

        return string.Empty;
    }

    /// <summary>Compares with an upper-case ASCII keyword; non-ASCII letters never match (Neo4j: [cC][rR]...).</summary>
    public static bool AsciiEqualsIgnoreCase(ReadOnlySpan<char> word, string upperKeyword)
    {
        if (word.Length != upperKeyword.Length)
        {
            return false;
        }

        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (char.IsAsciiLetterLower(c))
            {
                c = (char)(c - 32);
            }

            if (c != upperKeyword[i])
            {
                return false;
            }
        }

        return true;
    }

    private static (string, CypherKeyword)[][] BuildTable()
    {
        var all = Enum.GetValues<CypherKeyword>();
        var buckets = new List<(string, CypherKeyword)>[MaxLength + 1];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = [];
        }

        foreach (var keyword in all)
        {
            if (keyword == CypherKeyword.None)
            {
                continue;
            }

            string text = keyword.ToString().ToUpperInvariant();
            buckets[text.Length].Add((text, keyword));
        }

        var table = new (string, CypherKeyword)[MaxLength + 1][];
        for (int i = 0; i < buckets.Length; i++)
        {
            table[i] = [.. buckets[i]];
        }

        return table;
    }
}
