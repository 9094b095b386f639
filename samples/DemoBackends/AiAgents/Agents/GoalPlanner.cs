using System.Text;

namespace DemoBackends.AiAgents.Agents;

/// <summary>Splits a goal into steps at ',', ';', 'and' and 'then', and closes with a verification step.</summary>
internal static class GoalPlanner
{
    public const string VerifyStep = "Verify the outcome";

    public static List<string> Plan(string goal)
    {
        var steps = new List<string>();
        var clause = new StringBuilder();
        foreach (var rawWord in goal.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (rawWord.Equals("and", StringComparison.OrdinalIgnoreCase) || rawWord.Equals("then", StringComparison.OrdinalIgnoreCase))
            {
                AddStep(clause, steps);
                continue;
            }

            var word = rawWord.TrimEnd(',', ';', '.');
            if (word.Length > 0)
            {
                clause.Append(clause.Length > 0 ? " " : string.Empty).Append(word);
            }

            if (rawWord.Length > 0 && rawWord[^1] is ',' or ';')
            {
                AddStep(clause, steps);
            }
        }

        AddStep(clause, steps);
        steps.Add(VerifyStep);
        return steps;
    }

    private static void AddStep(StringBuilder clause, List<string> steps)
    {
        if (clause.Length == 0)
        {
            return;
        }

        clause[0] = char.ToUpperInvariant(clause[0]);
        steps.Add(clause.ToString());
        clause.Clear();
    }
}
