namespace DemoBackends.AiAgents.Graph;

/// <summary>
/// Recursive-descent parser for the read-only subset:
/// <c>MATCH (a:Label {p: 'v'|$x|1})[-[:REL]->(b:Label)] [WHERE a.p = v [AND ...]] RETURN a.p[, b.p] | count(a) [LIMIT n]</c>.
/// </summary>
internal sealed class QueryParser
{
    private static readonly string[] WriteClauses = ["CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "CALL", "LOAD", "FOREACH"];

    private readonly List<QueryToken> _tokens;
    private int _next;

    private QueryParser(List<QueryToken> tokens) => _tokens = tokens;

    public static GraphQuery Parse(string query) => new QueryParser(QueryLexer.Tokenize(query)).ParseQuery();

    private QueryToken Peek => _tokens[_next];

    private GraphQuery ParseQuery()
    {
        RejectWriteClause();
        ExpectKeyword("MATCH");
        var start = ParseNode();
        string? relationship = null;
        NodePattern? end = null;
        if (Peek.IsSymbol('<'))
        {
            throw GraphQueryException.NotSupported($"Only left-to-right relationships (a)-[:TYPE]->(b) are supported; found {Peek}.");
        }

        if (Peek.IsSymbol('-'))
        {
            Advance();
            relationship = ParseRelationshipType();
            end = ParseNode();
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        AddVariable(declared, start);
        AddVariable(declared, end);

        var where = new List<WhereCondition>();
        if (TryKeyword("WHERE"))
        {
            do
            {
                where.Add(ParseCondition(declared));
            }
            while (TryKeyword("AND"));
        }

        RejectWriteClause();
        ExpectKeyword("RETURN");
        var items = ParseReturnItems(declared);
        int? limit = TryKeyword("LIMIT") ? ParseLimit() : null;
        if (Peek.Kind != QueryTokenKind.End)
        {
            throw GraphQueryException.NotSupported($"Unexpected {Peek}; the supported subset ends with RETURN ... [LIMIT n].");
        }

        return new GraphQuery(start, relationship, end, where, items, limit);
    }

    private NodePattern ParseNode()
    {
        ExpectSymbol('(', "a node pattern such as (n:Label)");
        string? variable = Peek.Kind == QueryTokenKind.Identifier ? Advance().Text : null;
        string? label = null;
        if (Peek.IsSymbol(':'))
        {
            Advance();
            label = ExpectIdentifier("a label after ':'");
        }

        var properties = new List<PropertyMatch>();
        if (Peek.IsSymbol('{'))
        {
            Advance();
            do
            {
                var property = ExpectIdentifier("a property name");
                ExpectSymbol(':', "':' between property name and value");
                properties.Add(new PropertyMatch(property, ParseValue()));
            }
            while (TrySymbol(','));

            ExpectSymbol('}', "'}' closing the property map");
        }

        ExpectSymbol(')', "')' closing the node pattern");
        return new NodePattern(variable, label, properties);
    }

    private string ParseRelationshipType()
    {
        ExpectSymbol('[', "'[' opening a relationship such as -[:OWNS]->");
        ExpectSymbol(':', "':' before the relationship type (variable-less -[:TYPE]-> only)");
        var type = ExpectIdentifier("a relationship type");
        ExpectSymbol(']', "']' closing the relationship");
        if (Peek.Kind != QueryTokenKind.Arrow)
        {
            throw GraphQueryException.NotSupported($"Expected '->' after the relationship but found {Peek}; only directed -[:TYPE]-> is supported.");
        }

        Advance();
        return type;
    }

    private WhereCondition ParseCondition(HashSet<string> declared)
    {
        var (variable, property) = ParseProperty(declared);
        ExpectSymbol('=', "'=' (the only supported comparison)");
        return new WhereCondition(variable, property, ParseValue());
    }

    private List<ReturnItem> ParseReturnItems(HashSet<string> declared)
    {
        var items = new List<ReturnItem>();
        do
        {
            if (Peek.IsKeyword("count"))
            {
                Advance();
                ExpectSymbol('(', "'(' after count");
                var variable = ExpectIdentifier("a variable inside count()");
                RequireDeclared(declared, variable);
                ExpectSymbol(')', "')' closing count(");
                items.Add(new ReturnItem(variable, null, IsCount: true));
            }
            else
            {
                var (variable, property) = ParseProperty(declared);
                items.Add(new ReturnItem(variable, property, IsCount: false));
            }
        }
        while (TrySymbol(','));

        var counts = items.FindAll(item => item.IsCount).Count;
        if (counts > 0 && counts != items.Count)
        {
            throw GraphQueryException.NotSupported("count() cannot be mixed with property columns (no grouping in this subset).");
        }

        return items;
    }

    private (string Variable, string Property) ParseProperty(HashSet<string> declared)
    {
        var variable = ExpectIdentifier("a variable.property reference");
        RequireDeclared(declared, variable);
        ExpectSymbol('.', $"'.' after '{variable}' (only variable.property is supported)");
        return (variable, ExpectIdentifier("a property name"));
    }

    private QueryValue ParseValue()
    {
        var token = Advance();
        return token.Kind switch
        {
            QueryTokenKind.String => new QueryValue(token.Text, null),
            QueryTokenKind.Number when long.TryParse(token.Text, out var number) => new QueryValue(number, null),
            QueryTokenKind.Parameter => new QueryValue(null, token.Text),
            _ => throw GraphQueryException.NotSupported($"Expected a quoted string, an integer or a $parameter but found {token}."),
        };
    }

    private int ParseLimit()
    {
        var token = Advance();
        return token.Kind == QueryTokenKind.Number && int.TryParse(token.Text, out var limit) && limit >= 0
            ? limit
            : throw GraphQueryException.NotSupported($"LIMIT needs a non-negative integer but found {token}.");
    }

    private void RejectWriteClause()
    {
        foreach (var clause in WriteClauses)
        {
            if (Peek.IsKeyword(clause))
            {
                throw GraphQueryException.NotSupported($"{clause.ToUpperInvariant()} is not allowed: the graph is read-only; use MATCH ... RETURN.");
            }
        }
    }

    private static void AddVariable(HashSet<string> declared, NodePattern? node)
    {
        if (node?.Variable is { } variable && !declared.Add(variable))
        {
            throw GraphQueryException.NotSupported($"The variable '{variable}' is bound twice; use two different names.");
        }
    }

    private static void RequireDeclared(HashSet<string> declared, string variable)
    {
        if (!declared.Contains(variable))
        {
            throw GraphQueryException.NotSupported($"The variable '{variable}' is not bound in the MATCH pattern.");
        }
    }

    private QueryToken Advance()
    {
        var token = _tokens[_next];
        if (token.Kind != QueryTokenKind.End)
        {
            _next++;
        }

        return token;
    }

    private bool TryKeyword(string keyword)
    {
        if (!Peek.IsKeyword(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    private bool TrySymbol(char symbol)
    {
        if (!Peek.IsSymbol(symbol))
        {
            return false;
        }

        Advance();
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw GraphQueryException.NotSupported($"Expected {keyword} but found {Peek}.");
        }
    }

    private void ExpectSymbol(char symbol, string what)
    {
        if (!TrySymbol(symbol))
        {
            throw GraphQueryException.NotSupported($"Expected {what} but found {Peek}.");
        }
    }

    private string ExpectIdentifier(string what) =>
        Peek.Kind == QueryTokenKind.Identifier
            ? Advance().Text
            : throw GraphQueryException.NotSupported($"Expected {what} but found {Peek}.");
}
