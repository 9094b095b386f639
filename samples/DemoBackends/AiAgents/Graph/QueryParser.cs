using System.Globalization;

namespace DemoBackends.AiAgents.Graph;

/// <summary>
/// Parses the read Cypher the demo runs (see <see cref="GraphQuery"/>). Anything else is refused with a message that
/// names the construct, so a caller can tell "the demo cannot run this" from "this query is wrong".
/// </summary>
internal sealed class QueryParser
{
    public const string Supported =
        "The demo runs MATCH with node and relationship patterns (any direction, several hops, comma-separated), WHERE, " +
        "RETURN [DISTINCT] of nodes, relationships, properties, count(), type(), labels(), id(), keys(), toLower(), toUpper() " +
        "with AS, ORDER BY, SKIP, LIMIT, $parameters, and CALL db.labels(), db.relationshipTypes(), db.propertyKeys().";

    private static readonly string[] WriteClauses = ["CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "LOAD", "DROP"];
    private static readonly string[] ReadClausesNotSupported = ["OPTIONAL", "WITH", "UNWIND", "UNION", "EXISTS", "CASE", "SHOW", "USE", "EXPLAIN", "PROFILE"];
    private static readonly string[] Procedures = ["db.labels", "db.relationshipTypes", "db.propertyKeys"];

    private readonly string _query;
    private readonly List<QueryToken> _tokens;
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);
    private int _index;

    private QueryParser(string query)
    {
        _query = query;
        _tokens = QueryLexer.Tokenize(query);
    }

    private QueryToken Current => _tokens[_index];

    public static GraphQuery Parse(string query) => new QueryParser(query).ParseQuery();

    private GraphQuery ParseQuery()
    {
        RefuseUnsupportedKeywords();
        var patterns = new List<PathPattern>();
        string? procedure = null;
        string? procedureColumn = null;
        QueryExpr? where = null;
        if (Accept("MATCH"))
        {
            do
            {
                patterns.Add(ParsePath());
            }
            while (AcceptSymbol(","));

            if (Accept("WHERE"))
            {
                where = ParseExpression();
            }
        }
        else if (Accept("CALL"))
        {
            (procedure, procedureColumn) = ParseProcedure();
        }
        else
        {
            throw Unsupported($"Expected MATCH or CALL at the start, found {Current}.");
        }

        IReadOnlyList<ReturnItem> items;
        var distinct = false;
        var orderBy = new List<SortItem>();
        long? skip = null;
        long? limit = null;
        if (Accept("RETURN"))
        {
            distinct = Accept("DISTINCT");
            items = ParseReturnItems();
            foreach (var item in items)
            {
                // ORDER BY may name a returned column by its alias.
                _bound.Add(item.Column);
            }

            if (Accept("ORDER"))
            {
                Expect("BY");
                do
                {
                    var expression = ParseExpression();
                    var descending = Accept("DESC") || Accept("DESCENDING");
                    if (!descending)
                    {
                        _ = Accept("ASC") || Accept("ASCENDING");
                    }

                    orderBy.Add(new SortItem(expression, descending));
                }
                while (AcceptSymbol(","));
            }

            if (Accept("SKIP"))
            {
                skip = ParseCount("SKIP");
            }

            if (Accept("LIMIT"))
            {
                limit = ParseCount("LIMIT");
            }
        }
        else if (procedure is not null)
        {
            items = [new ReturnItem(new VariableExpr(procedureColumn!, procedureColumn!), procedureColumn!)];
        }
        else
        {
            throw Unsupported($"Expected RETURN, found {Current}. Every MATCH needs a RETURN.");
        }

        if (Current.Kind != QueryTokenKind.End)
        {
            throw Unsupported($"Unexpected {Current}; the query should end here.");
        }

        return new GraphQuery(patterns, procedure, procedureColumn, where, distinct, items, orderBy, skip, limit);
    }

    private void RefuseUnsupportedKeywords()
    {
        for (var i = 0; i < _tokens.Count; i++)
        {
            var token = _tokens[i];
            if (token.Kind != QueryTokenKind.Identifier || (i > 0 && (_tokens[i - 1].IsSymbol(".") || _tokens[i - 1].IsSymbol(":"))))
            {
                continue;
            }

            if (WriteClauses.Any(token.IsKeyword))
            {
                throw Unsupported($"{token.Text.ToUpperInvariant()} at position {token.Position} changes the graph; the graph is read-only.");
            }

            if (ReadClausesNotSupported.Any(token.IsKeyword) && !(token.IsKeyword("WITH") && i > 0 && (_tokens[i - 1].IsKeyword("STARTS") || _tokens[i - 1].IsKeyword("ENDS"))))
            {
                throw Unsupported($"{token.Text.ToUpperInvariant()} at position {token.Position} is valid read Cypher, but this demo backend cannot run it. {Supported}");
            }
        }
    }

    private (string Procedure, string Column) ParseProcedure()
    {
        var start = Current.Position;
        var name = ExpectIdentifier("a procedure name");
        while (AcceptSymbol("."))
        {
            name += "." + ExpectIdentifier("a procedure name");
        }

        ExpectSymbol("(");
        ExpectSymbol(")");
        var procedure = Procedures.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase))
            ?? throw Unsupported($"The procedure {name} at position {start} is not available in this demo; it has {string.Join("(), ", Procedures)}().");
        var column = procedure switch
        {
            "db.labels" => "label",
            "db.relationshipTypes" => "relationshipType",
            _ => "propertyKey",
        };

        if (Accept("YIELD"))
        {
            var yielded = ExpectIdentifier("a yielded column");
            if (!string.Equals(yielded, column, StringComparison.Ordinal))
            {
                throw Unsupported($"{procedure}() yields '{column}', not '{yielded}'.");
            }

            if (Accept("AS"))
            {
                column = ExpectIdentifier("an alias");
            }
        }

        _bound.Add(column);
        return (procedure, column);
    }

    private PathPattern ParsePath()
    {
        var start = ParseNode();
        var hops = new List<(RelationshipPattern, NodePattern)>();
        while (Current.IsSymbol("-") || Current.IsSymbol("<-"))
        {
            var incoming = Current.IsSymbol("<-");
            _index++;
            string? variable = null;
            var types = new List<string>();
            if (AcceptSymbol("["))
            {
                if (Current.Kind == QueryTokenKind.Identifier)
                {
                    variable = Bind(ExpectIdentifier("a relationship variable"));
                }

                if (AcceptSymbol(":"))
                {
                    do
                    {
                        types.Add(ExpectIdentifier("a relationship type"));
                    }
                    while (AcceptSymbol("|") || (AcceptSymbol(":") && true));
                }

                if (Current.IsSymbol("*"))
                {
                    throw Unsupported($"Variable-length relationships (*) at position {Current.Position} are valid Cypher, but this demo backend cannot run them; write the hops out, e.g. (a)-[:DEPENDS_ON]->()-[:DEPENDS_ON]->(c).");
                }

                if (Current.IsSymbol("{"))
                {
                    throw Unsupported($"Relationship properties at position {Current.Position}: relationships in this graph have none.");
                }

                ExpectSymbol("]");
            }

            Direction direction;
            if (AcceptSymbol("->"))
            {
                if (incoming)
                {
                    throw Unsupported($"A relationship cannot point both ways (<-...->) before position {Current.Position}.");
                }

                direction = Direction.Out;
            }
            else
            {
                ExpectSymbol("-");
                direction = incoming ? Direction.In : Direction.Either;
            }

            hops.Add((new RelationshipPattern(variable, types, direction), ParseNode()));
        }

        return new PathPattern(start, hops);
    }

    private NodePattern ParseNode()
    {
        ExpectSymbol("(");
        string? variable = null;
        string? label = null;
        var properties = new List<KeyValuePair<string, QueryExpr>>();
        if (Current.Kind == QueryTokenKind.Identifier)
        {
            variable = Bind(ExpectIdentifier("a variable"));
        }

        if (AcceptSymbol(":"))
        {
            label = ExpectIdentifier("a label");
            if (Current.IsSymbol(":"))
            {
                throw Unsupported($"A second label at position {Current.Position}: nodes in this graph have one label each.");
            }
        }

        if (AcceptSymbol("{"))
        {
            do
            {
                var key = ExpectIdentifier("a property name");
                ExpectSymbol(":");
                properties.Add(new(key, ParseExpression()));
            }
            while (AcceptSymbol(","));

            ExpectSymbol("}");
        }

        ExpectSymbol(")");
        return new NodePattern(variable, label, properties);
    }

    private string Bind(string variable)
    {
        _bound.Add(variable);
        return variable;
    }

    private List<ReturnItem> ParseReturnItems()
    {
        if (Current.IsSymbol("*"))
        {
            throw Unsupported($"RETURN * at position {Current.Position} is not supported here; name what to return, e.g. RETURN n.");
        }

        var items = new List<ReturnItem>();
        do
        {
            var expression = ParseExpression();
            var column = Accept("AS") ? ExpectIdentifier("an alias after AS") : expression.Text;
            items.Add(new ReturnItem(expression, column));
        }
        while (AcceptSymbol(","));

        return items;
    }

    private long ParseCount(string clause)
    {
        if (Current.Kind != QueryTokenKind.Number || !long.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Unsupported($"{clause} needs a whole number of at least 0, found {Current}.");
        }

        _index++;
        return value;
    }

    private QueryExpr ParseExpression() => ParseBinary(0);

    private static readonly string[][] Levels = [["OR"], ["XOR"], ["AND"]];

    private QueryExpr ParseBinary(int level)
    {
        if (level == Levels.Length)
        {
            return ParseNot();
        }

        var start = _index;
        var left = ParseBinary(level + 1);
        while (Levels[level].FirstOrDefault(Current.IsKeyword) is { } op)
        {
            _index++;
            var right = ParseBinary(level + 1);
            left = new BinaryExpr(TextFrom(start), op.ToUpperInvariant(), left, right);
        }

        return left;
    }

    private QueryExpr ParseNot()
    {
        var start = _index;
        if (Accept("NOT"))
        {
            var operand = ParseNot();
            return new NotExpr(TextFrom(start), operand);
        }

        return ParseComparison();
    }

    private QueryExpr ParseComparison()
    {
        var start = _index;
        var left = ParsePostfix();
        while (true)
        {
            string? op = null;
            if (Current.Kind == QueryTokenKind.Symbol && Current.Text is "=" or "<>" or "!=" or "<" or ">" or "<=" or ">=")
            {
                op = Current.Text == "!=" ? "<>" : Current.Text;
                _index++;
            }
            else if (Accept("CONTAINS"))
            {
                op = "CONTAINS";
            }
            else if (Accept("STARTS"))
            {
                Expect("WITH");
                op = "STARTS WITH";
            }
            else if (Accept("ENDS"))
            {
                Expect("WITH");
                op = "ENDS WITH";
            }
            else if (Accept("IN"))
            {
                op = "IN";
            }
            else if (Accept("IS"))
            {
                var negated = Accept("NOT");
                Expect("NULL");
                left = new IsNullExpr(TextFrom(start), left, negated);
                continue;
            }

            if (op is null)
            {
                return left;
            }

            var right = ParsePostfix();
            left = new BinaryExpr(TextFrom(start), op, left, right);
        }
    }

    private QueryExpr ParsePostfix()
    {
        var start = _index;
        var expression = ParsePrimary();
        while (AcceptSymbol("."))
        {
            var property = ExpectIdentifier("a property name after '.'");
            expression = new PropertyExpr(TextFrom(start), expression, property);
        }

        return expression;
    }

    private QueryExpr ParsePrimary()
    {
        var start = _index;
        var token = Current;
        switch (token.Kind)
        {
            case QueryTokenKind.String:
                _index++;
                return new LiteralExpr(TextFrom(start), token.Text);
            case QueryTokenKind.Number:
                _index++;
                return new LiteralExpr(TextFrom(start), long.Parse(token.Text, CultureInfo.InvariantCulture));
            case QueryTokenKind.Parameter:
                _index++;
                return new ParameterExpr(TextFrom(start), token.Text);
        }

        if (AcceptSymbol("-") && Current.Kind == QueryTokenKind.Number)
        {
            var number = -long.Parse(Current.Text, CultureInfo.InvariantCulture);
            _index++;
            return new LiteralExpr(TextFrom(start), number);
        }

        if (AcceptSymbol("("))
        {
            var inner = ParseExpression();
            ExpectSymbol(")");
            return inner;
        }

        if (AcceptSymbol("["))
        {
            var items = new List<QueryExpr>();
            if (!Current.IsSymbol("]"))
            {
                do
                {
                    items.Add(ParseExpression());
                }
                while (AcceptSymbol(","));
            }

            ExpectSymbol("]");
            return new ListExpr(TextFrom(start), items);
        }

        if (token.Kind != QueryTokenKind.Identifier)
        {
            throw Unsupported($"Expected a value, a variable or a function call, found {token}.");
        }

        _index++;
        if (token.IsKeyword("TRUE") || token.IsKeyword("FALSE"))
        {
            return new LiteralExpr(TextFrom(start), token.IsKeyword("TRUE"));
        }

        if (token.IsKeyword("NULL"))
        {
            return new LiteralExpr(TextFrom(start), null);
        }

        if (!AcceptSymbol("("))
        {
            if (!_bound.Contains(token.Text))
            {
                throw Unsupported($"Variable '{token.Text}' is not bound by the MATCH pattern (position {token.Position}).");
            }

            return new VariableExpr(TextFrom(start), token.Text);
        }

        var name = token.Text;
        if (!QueryFunctions.IsKnown(name))
        {
            throw Unsupported($"The function {name}() at position {token.Position} is not available in this demo. {Supported}");
        }

        var distinct = Accept("DISTINCT");
        QueryExpr? argument = null;
        if (!AcceptSymbol("*"))
        {
            argument = ParseExpression();
        }
        else if (!string.Equals(name, "count", StringComparison.OrdinalIgnoreCase))
        {
            throw Unsupported($"Only count(*) takes '*' (position {token.Position}).");
        }

        ExpectSymbol(")");
        return new FunctionExpr(TextFrom(start), name, argument, distinct);
    }

    private string TextFrom(int startIndex) => _query[_tokens[startIndex].Position.._tokens[_index].Position].TrimEnd();

    private bool Accept(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            return false;
        }

        _index++;
        return true;
    }

    private bool AcceptSymbol(string symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }

        _index++;
        return true;
    }

    private void Expect(string keyword)
    {
        if (!Accept(keyword))
        {
            throw Unsupported($"Expected {keyword}, found {Current}.");
        }
    }

    private void ExpectSymbol(string symbol)
    {
        if (!AcceptSymbol(symbol))
        {
            throw Unsupported($"Expected '{symbol}', found {Current}.");
        }
    }

    private string ExpectIdentifier(string what)
    {
        if (Current.Kind != QueryTokenKind.Identifier)
        {
            throw Unsupported($"Expected {what}, found {Current}.");
        }

        return _tokens[_index++].Text;
    }

    private static GraphQueryException Unsupported(string detail) => GraphQueryException.NotSupported(detail);
}
