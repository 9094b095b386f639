using System.Text.Json;
using System.Text.Json.Nodes;

namespace DemoBackends.AiAgents.Graph;

public sealed record GraphQueryStats(int Rows);

/// <summary>Rows are JSON arrays: strings, numbers, booleans, null, lists, and nodes as <c>{"labels":[...],"properties":{...}}</c>.</summary>
public sealed record GraphQueryResult(IReadOnlyList<string> Columns, JsonArray Rows, GraphQueryStats Stats);

/// <summary>Runs a parsed <see cref="GraphQuery"/> against a <see cref="PropertyGraph"/>; matches come in graph insertion order.</summary>
internal sealed class QueryEvaluator(PropertyGraph graph)
{
    public GraphQueryResult Evaluate(GraphQuery query, IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        var context = new EvaluationContext(graph, parameters);
        var bindings = query.Procedure is { } procedure
            ? ProcedureRows(procedure).Select(value => new Dictionary<string, object?> { [query.ProcedureColumn!] = value }).ToList()
            : Match(query, context);

        var aggregating = query.Return.Any(item => item.Expression is FunctionExpr { IsCount: true });
        var rows = aggregating ? Aggregate(query, bindings, context) : Project(query, bindings, context);
        if (query.Distinct)
        {
            rows = rows.DistinctBy(row => Key(row.Values)).ToList();
        }

        if (query.OrderBy.Count > 0)
        {
            rows = Sort(query, rows, context, canUseBindings: !aggregating && !query.Distinct);
        }

        var result = rows.Skip((int)Math.Min(query.Skip ?? 0, int.MaxValue)).Take((int)Math.Min(query.Limit ?? int.MaxValue, int.MaxValue));
        var json = new JsonArray();
        foreach (var row in result)
        {
            json.Add(new JsonArray(row.Values.Select(ToJson).ToArray()));
        }

        return new GraphQueryResult(query.Return.Select(r => r.Column).ToList(), json, new GraphQueryStats(json.Count));
    }

    private IEnumerable<object?> ProcedureRows(string procedure) => procedure switch
    {
        "db.labels" => graph.Nodes.Select(n => n.Label).Distinct(),
        "db.relationshipTypes" => graph.Edges.Select(e => e.Type).Distinct(),
        _ => graph.Nodes.SelectMany(n => n.Properties.Keys).Distinct(),
    };

    private List<Dictionary<string, object?>> Match(GraphQuery query, EvaluationContext context)
    {
        var results = new List<Dictionary<string, object?>>();
        MatchPaths(query.Patterns, 0, new Dictionary<string, object?>(StringComparer.Ordinal), [], context, binding =>
        {
            if (query.Where is null || Equals(context.Evaluate(query.Where, binding), true))
            {
                results.Add(binding);
            }
        });
        return results;
    }

    private void MatchPaths(IReadOnlyList<PathPattern> paths, int index, Dictionary<string, object?> binding, List<GraphEdge> used,
        EvaluationContext context, Action<Dictionary<string, object?>> found)
    {
        if (index == paths.Count)
        {
            found(new Dictionary<string, object?>(binding, StringComparer.Ordinal));
            return;
        }

        var path = paths[index];
        foreach (var node in graph.Nodes)
        {
            if (TryBind(path.Start, node, binding, context, out var added))
            {
                MatchHops(path, 0, node, binding, used, context, () => MatchPaths(paths, index + 1, binding, used, context, found));
                Unbind(binding, added);
            }
        }
    }

    private void MatchHops(PathPattern path, int hop, GraphNode from, Dictionary<string, object?> binding, List<GraphEdge> used,
        EvaluationContext context, Action next)
    {
        if (hop == path.Hops.Count)
        {
            next();
            return;
        }

        var (relationship, nodePattern) = path.Hops[hop];
        foreach (var edge in graph.Edges)
        {
            if (used.Contains(edge) || (relationship.Types.Count > 0 && !relationship.Types.Contains(edge.Type, StringComparer.Ordinal)))
            {
                continue;
            }

            foreach (var to in Ends(edge, from, relationship.Direction))
            {
                if (relationship.Variable is { } name && binding.TryGetValue(name, out var bound) && !ReferenceEquals(bound, edge))
                {
                    continue;
                }

                if (!TryBind(nodePattern, to, binding, context, out var added))
                {
                    continue;
                }

                var addedEdge = relationship.Variable is { } variable && binding.TryAdd(variable, edge) ? variable : null;
                used.Add(edge);
                MatchHops(path, hop + 1, to, binding, used, context, next);
                used.RemoveAt(used.Count - 1);
                if (addedEdge is not null)
                {
                    binding.Remove(addedEdge);
                }

                Unbind(binding, added);
            }
        }
    }

    private static IEnumerable<GraphNode> Ends(GraphEdge edge, GraphNode from, Direction direction)
    {
        if (direction != Direction.In && ReferenceEquals(edge.From, from))
        {
            yield return edge.To;
        }

        if (direction != Direction.Out && ReferenceEquals(edge.To, from) && !ReferenceEquals(edge.From, edge.To))
        {
            yield return edge.From;
        }
    }

    private static bool TryBind(NodePattern pattern, GraphNode node, Dictionary<string, object?> binding, EvaluationContext context, out string? added)
    {
        added = null;
        if (pattern.Label is not null && !string.Equals(pattern.Label, node.Label, StringComparison.Ordinal))
        {
            return false;
        }

        if (pattern.Variable is { } name && binding.TryGetValue(name, out var bound) && !ReferenceEquals(bound, node))
        {
            return false;
        }

        foreach (var (property, expected) in pattern.Properties)
        {
            if (!Equals(EvaluationContext.Compare("=", node.Properties.GetValueOrDefault(property), context.Evaluate(expected, binding)), true))
            {
                return false;
            }
        }

        if (pattern.Variable is { } variable && binding.TryAdd(variable, node))
        {
            added = variable;
        }

        return true;
    }

    private static void Unbind(Dictionary<string, object?> binding, string? added)
    {
        if (added is not null)
        {
            binding.Remove(added);
        }
    }

    private static List<Row> Project(GraphQuery query, List<Dictionary<string, object?>> bindings, EvaluationContext context) =>
        bindings.Select(b => new Row(query.Return.Select(item => context.Evaluate(item.Expression, b)).ToArray(), b)).ToList();

    private static List<Row> Aggregate(GraphQuery query, List<Dictionary<string, object?>> bindings, EvaluationContext context)
    {
        var groups = new Dictionary<string, (object?[] Keys, List<Dictionary<string, object?>> Members)>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            var keys = query.Return.Select(item => item.Expression is FunctionExpr { IsCount: true } ? null : context.Evaluate(item.Expression, binding)).ToArray();
            var key = Key(keys);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (keys, []);
            }

            group.Members.Add(binding);
        }

        if (groups.Count == 0 && query.Return.All(item => item.Expression is FunctionExpr { IsCount: true }))
        {
            groups[""] = (new object?[query.Return.Count], []);
        }

        var rows = new List<Row>(groups.Count);
        foreach (var (keys, members) in groups.Values)
        {
            var values = (object?[])keys.Clone();
            for (var i = 0; i < values.Length; i++)
            {
                if (query.Return[i].Expression is FunctionExpr { IsCount: true } count)
                {
                    var counted = count.Argument is null
                        ? members.Select(_ => (object?)true)
                        : members.Select(m => context.Evaluate(count.Argument, m)).Where(v => v is not null);
                    values[i] = (long)(count.Distinct ? counted.Select(v => Key([v])).Distinct().Count() : counted.Count());
                }
            }

            rows.Add(new Row(values, null));
        }

        return rows;
    }

    private static List<Row> Sort(GraphQuery query, List<Row> rows, EvaluationContext context, bool canUseBindings)
    {
        var keys = new List<Func<Row, object?>>();
        foreach (var sort in query.OrderBy)
        {
            var column = query.Return.ToList().FindIndex(r => r.Column == sort.Expression.Text || r.Expression.Text == sort.Expression.Text);
            if (column >= 0)
            {
                keys.Add(row => row.Values[column]);
            }
            else if (canUseBindings)
            {
                keys.Add(row => context.Evaluate(sort.Expression, row.Binding!));
            }
            else
            {
                throw GraphQueryException.NotSupported(
                    $"ORDER BY {sort.Expression.Text}: with count() or DISTINCT, order by a returned column or its alias ({string.Join(", ", query.Return.Select(r => r.Column))}).");
            }
        }

        var sorted = rows.ToList();
        sorted.Sort((a, b) =>
        {
            for (var i = 0; i < keys.Count; i++)
            {
                var order = EvaluationContext.Order(keys[i](a), keys[i](b));
                if (order != 0)
                {
                    return query.OrderBy[i].Descending ? -order : order;
                }
            }

            return 0;
        });
        return sorted;
    }

    private static string Key(object?[] values) => new JsonArray(values.Select(ToJson).ToArray()).ToJsonString();

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        GraphNode node => new JsonObject
        {
            ["labels"] = new JsonArray(JsonValue.Create(node.Label)),
            ["properties"] = new JsonObject(node.Properties.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        },
        GraphEdge edge => new JsonObject { ["type"] = edge.Type, ["properties"] = new JsonObject() },
        List<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        Dictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        _ => JsonValue.Create(value.ToString()),
    };

    private sealed record Row(object?[] Values, Dictionary<string, object?>? Binding);
}
