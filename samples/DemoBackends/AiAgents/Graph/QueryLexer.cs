using System.Text;

namespace DemoBackends.AiAgents.Graph;

/// <summary>Splits a query into identifiers (plain or `backticked`), strings with escapes, integers, $parameters and symbols.</summary>
internal static class QueryLexer
{
    private static readonly string[] TwoCharSymbols = ["->", "<-", "<>", "<=", ">=", "!="];
    private const string Symbols = "()[]{}:,.=-*<>+|";

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
            else if (c == '/' && i + 1 < query.Length && query[i + 1] == '/')
            {
                while (i < query.Length && query[i] != '\n') i++;
            }
            else if (c is '\'' or '"')
            {
                i = ReadString(query, i, tokens);
            }
            else if (c == '`')
            {
                var end = query.IndexOf('`', i + 1);
                if (end < 0) throw GraphQueryException.NotSupported($"The name starting at position {i} is not closed with `.");
                tokens.Add(new QueryToken(QueryTokenKind.Identifier, query[(i + 1)..end], i));
                i = end + 1;
            }
            else if (char.IsAsciiDigit(c))
            {
                var end = Skip(query, i, char.IsAsciiDigit);
                tokens.Add(new QueryToken(QueryTokenKind.Number, query[i..end], i));
                i = end;
            }
            else if (IsIdentifierStart(c))
            {
                var end = Skip(query, i, IsIdentifierPart);
                tokens.Add(new QueryToken(QueryTokenKind.Identifier, query[i..end], i));
                i = end;
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
            else if (i + 1 < query.Length && Array.IndexOf(TwoCharSymbols, query.Substring(i, 2)) >= 0)
            {
                tokens.Add(new QueryToken(QueryTokenKind.Symbol, query.Substring(i, 2), i));
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
        var text = new StringBuilder();
        for (var i = start + 1; i < query.Length; i++)
        {
            var c = query[i];
            if (c == quote)
            {
                tokens.Add(new QueryToken(QueryTokenKind.String, text.ToString(), start));
                return i + 1;
            }

            if (c == '\\' && i + 1 < query.Length)
            {
                c = query[++i] switch { 'n' => '\n', 't' => '\t', var other => other };
            }

            text.Append(c);
        }

        throw GraphQueryException.NotSupported($"The string starting at position {start} is not closed with {quote}.");
    }

    private static int Skip(string query, int start, Func<char, bool> predicate)
    {
        var end = start;
        while (end < query.Length && predicate(query[end])) end++;
        return end;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
