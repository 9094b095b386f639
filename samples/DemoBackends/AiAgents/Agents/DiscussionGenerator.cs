using DemoBackends.Text;

namespace DemoBackends.AiAgents.Agents;

/// <summary>A scripted discussion: each turn picks a topic keyword by round and speaker, phrased by the speaker's role.</summary>
internal static class DiscussionGenerator
{
    public static IReadOnlyList<string> DefaultParticipants { get; } = [AgentCatalog.Analyst, "critic"];

    public static DiscussionResponse Run(string topic, IReadOnlyList<string> participants, int rounds)
    {
        var keywords = Keywords.Top(topic, 5).ConvertAll(k => k.Term);
        if (keywords.Count == 0)
        {
            keywords.Add(topic.Trim());
        }

        var transcript = new List<DiscussionTurn>(rounds * participants.Count);
        for (var round = 1; round <= rounds; round++)
        {
            for (var speaker = 0; speaker < participants.Count; speaker++)
            {
                var keyword = keywords[(round - 1 + speaker) % keywords.Count];
                transcript.Add(new DiscussionTurn(round, participants[speaker], Message(participants[speaker], keyword, topic)));
            }
        }

        var focus = string.Join(", ", keywords.GetRange(0, Math.Min(3, keywords.Count)));
        var conclusion = $"After {rounds} round(s) the {participants.Count} participants agree to focus on: {focus}.";
        return new DiscussionResponse(topic, participants, rounds, transcript, conclusion);
    }

    private static string Message(string speaker, string keyword, string topic) => speaker.ToLowerInvariant() switch
    {
        AgentCatalog.Analyst => $"For '{topic}', '{keyword}' is the part to measure first.",
        "critic" => $"What could go wrong with '{keyword}'? We need evidence before committing to '{topic}'.",
        _ => $"From the {speaker} side, '{keyword}' matters most for '{topic}'.",
    };
}
