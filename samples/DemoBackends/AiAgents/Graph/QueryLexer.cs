namespace DemoBackends.AiAgents.Graph;

/// <summary>Splits a query into identifiers, quoted strings, integers, $parameters, '->' and single-character symbols.</summary>
internal static class QueryLexer
{
    private const string Symbols = "()[]{}:,.=-*<>";

    public static List<QueryToken> Tokenize(string query)
    {
        var tokens = new List<QueryToken>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                i = ReadString(query, i, tokens);
            }
            else if (char.IsAsciiDigit(c))
            {
                i = ReadWhile(query, i, char.IsAsciiDigit, QueryTokenKind.Number, tokens);
            }
            else if (IsIdentifierStart(c))
            {
                i = ReadWhile(query, i, IsIdentifierPart, QueryTokenKind.Identifier, tokens);
            }
            else if (c == '$')
            {
                if (i + 1 >= query.Length || !IsIdentifierStart(query[i + 1]))
                {
                    throw GraphQueryException.NotSupported($"'$' at position {i} must be followed by a parameter name.");
                }

                var end = Skip(query, i + 1, IsIdentifierPart);
                tokens.Add(new QueryToken(QueryTokenKind.Parameter, query[(i + 1)..end], i));
                i = end;
            }
            else if (c == '-' && i + 1 < query.Length && query[i + 1] == '>')
            {
                tokens.Add(new QueryToken(QueryTokenKind.Arrow, "->", i));
                i += 2;
            }
            else if (Symbols.Contains(c))
            {
                tokens.Add(new QueryToken(QueryTokenKind.Symbol, c.ToString(), i));
                i++;
            }
            else
            {
                throw GraphQueryException.NotSupported($"Unexpected character '{c}' at position {i}.");
            }
        }

        tokens.Add(new QueryToken(QueryTokenKind.End, string.Empty, query.Length));
        return tokens;
    }

    private static int ReadString(string query, int start, List<QueryToken> tokens)
    {
        var quote = query[start];
        var end = query.IndexOf(quote, start + 1);
        if (end < 0)
        {
            throw GraphQueryException.NotSupported($"The string starting at position {start} is not closed with {quote}.");
        }

        tokens.Add(new QueryToken(QueryTokenKind.String, query[(start + 1)..end], start));
        return end + 1;
    }

    private static int ReadWhile(string query, int start, Func<char, bool> predicate, QueryTokenKind kind, List<QueryToken> tokens)
    {
        var end = Skip(query, start, predicate);
        tokens.Add(new QueryToken(kind, query[start..end], start));
        return end;
    }

    private static int Skip(string query, int start, Func<char, bool> predicate)
    {
        var end = start;
        while (end < query.Length && predicate(query[end]))
        {
            end++;
        }

        return end;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
