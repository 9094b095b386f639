using System.Text.Json;

namespace DemoBackends.AiAgents.Graph;

public sealed record GraphQueryStats(int Rows);

public sealed record GraphQueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, GraphQueryStats Stats);

/// <summary>Runs a parsed <see cref="GraphQuery"/> against a <see cref="PropertyGraph"/>; matches come in graph insertion order.</summary>
internal sealed class QueryEvaluator(PropertyGraph graph)
{
    public GraphQueryResult Evaluate(GraphQuery query, IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        var resolver = new ParameterResolver(parameters);
        var matches = new List<Binding>();
        foreach (var binding in Bindings(query, resolver))
        {
            if (SatisfiesWhere(query, binding, resolver))
            {
                matches.Add(binding);
            }
        }

        var columns = new List<string>(query.Return.Count);
        foreach (var item in query.Return)
        {
            columns.Add(item.Column);
        }

        var rows = query.Return[0].IsCount ? CountRow(query, matches) : ProjectRows(query, matches);
        if (query.Limit is { } limit && rows.Count > limit)
        {
            rows.RemoveRange(limit, rows.Count - limit);
        }

        return new GraphQueryResult(columns, rows, new GraphQueryStats(rows.Count));
    }

    private IEnumerable<Binding> Bindings(GraphQuery query, ParameterResolver resolver)
    {
        if (query.RelationshipType is null)
        {
            foreach (var node in graph.Nodes)
            {
                if (Matches(query.Start, node, resolver))
                {
                    yield return new Binding(node, null);
                }
            }

            yield break;
        }

        foreach (var edge in graph.Edges)
        {
            if (string.Equals(edge.Type, query.RelationshipType, StringComparison.Ordinal)
                && Matches(query.Start, edge.From, resolver)
                && Matches(query.End!, edge.To, resolver))
            {
                yield return new Binding(edge.From, edge.To);
            }
        }
    }

    private static bool Matches(NodePattern pattern, GraphNode node, ParameterResolver resolver)
    {
        if (pattern.Label is not null && !string.Equals(pattern.Label, node.Label, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var match in pattern.Properties)
        {
            if (!ValueEquals(node.Properties.GetValueOrDefault(match.Property), resolver.Resolve(match.Value)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SatisfiesWhere(GraphQuery query, Binding binding, ParameterResolver resolver)
    {
        foreach (var condition in query.Where)
        {
            var node = binding.Resolve(query, condition.Variable);
            if (!ValueEquals(node.Properties.GetValueOrDefault(condition.Property), resolver.Resolve(condition.Value)))
            {
                return false;
            }
        }

        return true;
    }

    private static List<object?[]> CountRow(GraphQuery query, List<Binding> matches)
    {
        var row = new object?[query.Return.Count];
        Array.Fill(row, (long)matches.Count);
        return [row];
    }

    private static List<object?[]> ProjectRows(GraphQuery query, List<Binding> matches)
    {
        var rows = new List<object?[]>(matches.Count);
        foreach (var binding in matches)
        {
            var row = new object?[query.Return.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var item = query.Return[i];
                row[i] = binding.Resolve(query, item.Variable).Properties.GetValueOrDefault(item.Property!);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static bool ValueEquals(object? actual, object expected) => actual is not null && actual.Equals(expected);

    /// <summary>The nodes one match bound: the start node and, for relationship patterns, the end node.</summary>
    private readonly record struct Binding(GraphNode Start, GraphNode? End)
    {
        public GraphNode Resolve(GraphQuery query, string variable) =>
            string.Equals(query.Start.Variable, variable, StringComparison.Ordinal) ? Start : End!;
    }

    private sealed class ParameterResolver(IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        public object Resolve(QueryValue value)
        {
            if (value.Parameter is null)
            {
                return value.Literal!;
            }

            if (parameters is null || !parameters.TryGetValue(value.Parameter, out var element))
            {
                throw new GraphQueryException(
                    GraphQueryException.MissingParameter,
                    $"The query uses ${value.Parameter} but 'params' has no '{value.Parameter}'.");
            }

            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString()!,
                JsonValueKind.Number when element.TryGetInt64(out var number) => number,
                _ => throw new GraphQueryException(
                    GraphQueryException.InvalidParameter,
                    $"'params.{value.Parameter}' must be a string or an integer."),
            };
        }
    }
}
