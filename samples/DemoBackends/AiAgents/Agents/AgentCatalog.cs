using System.Text.Json.Nodes;
using DemoBackends.Text;

namespace DemoBackends.AiAgents.Agents;

/// <summary>The demo agents, their callable functions and how each executes a free-form task.</summary>
internal static class AgentCatalog
{
    public const string Analyst = "analyst";
    public const string Planner = "planner";

    private static readonly Dictionary<string, Dictionary<string, Func<AgentArguments, JsonObject>>> Functions =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [Analyst] = new(StringComparer.OrdinalIgnoreCase)
            {
                ["word_count"] = WordCount,
                ["summarize"] = Summarize,
                ["extract_keywords"] = ExtractKeywords,
            },
            [Planner] = new(StringComparer.OrdinalIgnoreCase)
            {
                ["plan"] = Plan,
            },
        };

    public static IReadOnlyList<string> Agents { get; } = [Analyst, Planner];

    public static bool IsKnownAgent(string agent) => Functions.ContainsKey(agent);

    public static IReadOnlyList<string> FunctionsOf(string agent) => [.. Functions[agent].Keys];

    public static Func<AgentArguments, JsonObject>? FindFunction(string agent, string function) =>
        Functions[agent].GetValueOrDefault(function);

    public static AgentExecuteResponse Execute(string agent, string task, IReadOnlyCollection<string> contextKeys)
    {
        var steps = new List<string>();
        if (contextKeys.Count > 0)
        {
            steps.Add($"Read context: {string.Join(", ", contextKeys)}");
        }

        string result;
        if (string.Equals(agent, Planner, StringComparison.OrdinalIgnoreCase))
        {
            var plan = GoalPlanner.Plan(task);
            steps.AddRange(plan);
            result = $"Planned {plan.Count} steps.";
        }
        else
        {
            var keywords = Keywords.Top(task, 3).ConvertAll(k => k.Term);
            steps.Add($"Count words: {WordTokenizer.Tokenize(task).Count}");
            steps.Add($"Extract keywords: {string.Join(", ", keywords)}");
            steps.Add("Summarize");
            result = string.Join(' ', ExtractiveSummarizer.Summarize(task, 1));
        }

        return new AgentExecuteResponse(agent.ToLowerInvariant(), task, steps, result);
    }

    private static JsonObject WordCount(AgentArguments arguments)
    {
        var text = arguments.RequiredString("text");
        return new JsonObject
        {
            ["words"] = WordTokenizer.Tokenize(text).Count,
            ["characters"] = text.Length,
            ["sentences"] = Sentences.Split(text).Count,
        };
    }

    private static JsonObject Summarize(AgentArguments arguments)
    {
        var text = arguments.RequiredString("text");
        var maxSentences = arguments.OptionalInt("max_sentences", 1, 1, 20);
        var summary = ExtractiveSummarizer.Summarize(text, maxSentences);
        return new JsonObject
        {
            ["summary"] = string.Join(' ', summary),
            ["sentences"] = summary.Count,
        };
    }

    private static JsonObject ExtractKeywords(AgentArguments arguments)
    {
        var text = arguments.RequiredString("text");
        var topN = arguments.OptionalInt("top_n", 5, 1, 50);
        var keywords = new JsonArray();
        foreach (var keyword in Keywords.Top(text, topN))
        {
            keywords.Add(new JsonObject { ["term"] = keyword.Term, ["count"] = keyword.Count });
        }

        return new JsonObject { ["keywords"] = keywords };
    }

    private static JsonObject Plan(AgentArguments arguments)
    {
        var goal = arguments.RequiredString("goal");
        var steps = new JsonArray();
        foreach (var step in GoalPlanner.Plan(goal))
        {
            steps.Add(step);
        }

        return new JsonObject { ["goal"] = goal, ["steps"] = steps };
    }
}
