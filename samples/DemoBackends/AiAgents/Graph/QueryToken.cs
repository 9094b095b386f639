namespace DemoBackends.AiAgents.Graph;

internal enum QueryTokenKind
{
    Identifier,
    String,
    Number,
    Parameter,
    Symbol,
    End,
}

/// <summary>One lexeme; <see cref="Position"/> is the 0-based character offset used in error messages.</summary>
internal readonly record struct QueryToken(QueryTokenKind Kind, string Text, int Position)
{
    public bool IsKeyword(string keyword) =>
        Kind == QueryTokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == QueryTokenKind.Symbol && Text == symbol;

    public override string ToString() => Kind == QueryTokenKind.End ? "end of query" : $"'{Text}' at position {Position}";
}
