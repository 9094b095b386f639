using System.Text.Json;

namespace DemoBackends.AiAgents.Graph;

/// <summary>Evaluates expressions against one match: Cypher's null semantics for comparisons and AND/OR/XOR/NOT.</summary>
internal sealed class EvaluationContext(PropertyGraph graph, IReadOnlyDictionary<string, JsonElement>? parameters)
{
    public object? Evaluate(QueryExpr expression, IReadOnlyDictionary<string, object?> binding) => expression switch
    {
        LiteralExpr literal => literal.Value,
        ParameterExpr parameter => Parameter(parameter.Name),
        VariableExpr variable => binding.TryGetValue(variable.Name, out var value)
            ? value
            : throw GraphQueryException.NotSupported($"Variable '{variable.Name}' is not bound by the MATCH pattern."),
        PropertyExpr property => Evaluate(property.Target, binding) switch
        {
            null => null,
            GraphNode node => node.Properties.GetValueOrDefault(property.Property),
            GraphEdge => null,
            Dictionary<string, object?> map => map.GetValueOrDefault(property.Property),
            var other => throw GraphQueryException.NotSupported($"{property.Text}: '{property.Target.Text}' is a {Describe(other)}, which has no properties."),
        },
        ListExpr list => list.Items.Select(item => Evaluate(item, binding)).ToList(),
        FunctionExpr { IsCount: true } => throw GraphQueryException.NotSupported($"{expression.Text}: count() can only be a returned column, e.g. RETURN t.name, count(s)."),
        FunctionExpr function => QueryFunctions.Apply(function.Name, Evaluate(function.Argument!, binding), graph),
        NotExpr not => Evaluate(not.Operand, binding) is bool b ? !b : null,
        IsNullExpr isNull => Evaluate(isNull.Operand, binding) is null != isNull.Negated,
        BinaryExpr { Operator: "AND" or "OR" or "XOR" } logic => Logic(logic.Operator, Evaluate(logic.Left, binding), Evaluate(logic.Right, binding)),
        BinaryExpr binary => Compare(binary.Operator, Evaluate(binary.Left, binding), Evaluate(binary.Right, binding)),
        _ => throw GraphQueryException.NotSupported($"{expression.Text} cannot be evaluated here."),
    };

    public static object? Compare(string op, object? left, object? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        return op switch
        {
            "=" => ValueEquals(left, right),
            "<>" => !ValueEquals(left, right),
            "<" or ">" or "<=" or ">=" when Comparable(left, right) => op switch
            {
                "<" => Order(left, right) < 0,
                ">" => Order(left, right) > 0,
                "<=" => Order(left, right) <= 0,
                _ => Order(left, right) >= 0,
            },
            "CONTAINS" when left is string l && right is string r => l.Contains(r, StringComparison.Ordinal),
            "STARTS WITH" when left is string l && right is string r => l.StartsWith(r, StringComparison.Ordinal),
            "ENDS WITH" when left is string l && right is string r => l.EndsWith(r, StringComparison.Ordinal),
            "IN" when right is List<object?> list => list.Any(item => item is not null && ValueEquals(left, item)),
            "IN" => throw GraphQueryException.NotSupported("IN needs a list on its right, e.g. s.tier IN ['core', 'data']."),
            _ => null,
        };
    }

    /// <summary>Sort order: numbers, then strings, then booleans, then anything else; null last.</summary>
    public static int Order(object? left, object? right) => (left, right) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        (long l, long r) => l.CompareTo(r),
        (string l, string r) => string.CompareOrdinal(l, r),
        (bool l, bool r) => l.CompareTo(r),
        _ => Rank(left).CompareTo(Rank(right)),
    };

    private static int Rank(object value) => value switch { long => 0, string => 1, bool => 2, _ => 3 };

    private static bool Comparable(object left, object right) => left.GetType() == right.GetType() && left is long or string or bool;

    private static bool ValueEquals(object left, object right) => left switch
    {
        List<object?> l when right is List<object?> r => l.Count == r.Count && l.Zip(r).All(p => p.First is not null && p.Second is not null && ValueEquals(p.First, p.Second)),
        GraphNode or GraphEdge => ReferenceEquals(left, right),
        _ => left.Equals(right),
    };

    private static object? Logic(string op, object? left, object? right)
    {
        var l = left as bool?;
        var r = right as bool?;
        return op switch
        {
            "AND" => l == false || r == false ? false : l is null || r is null ? null : true,
            "OR" => l == true || r == true ? true : l is null || r is null ? null : false,
            _ => l is null || r is null ? null : l != r,
        };
    }

    private object? Parameter(string name)
    {
        if (parameters is null || !parameters.TryGetValue(name, out var element))
        {
            throw new GraphQueryException(GraphQueryException.MissingParameter, $"The query uses ${name} but 'params' has no '{name}'.");
        }

        return FromJson(element, name);
    }

    private static object? FromJson(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt64(out var number) => number,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => element.EnumerateArray().Select(item => FromJson(item, name)).ToList(),
        _ => throw new GraphQueryException(GraphQueryException.InvalidParameter,
            $"'params.{name}' must be a string, an integer, a boolean, null or a list of those."),
    };

    private static string Describe(object value) => value switch { string => "string", long => "number", bool => "boolean", _ => "list" };
}
