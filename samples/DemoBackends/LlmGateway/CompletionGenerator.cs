using DemoBackends.Text;

namespace DemoBackends.LlmGateway;

/// <summary>
/// A deterministic stand-in for a language model: summarises the prompt as its first sentence, word count and top
/// keywords, then truncates to the token budget. Temperature is validated but never changes the answer.
/// </summary>
internal static class CompletionGenerator
{
    public const string DefaultModel = "demo-echo-1";
    private const int KeywordCount = 3;

    public static CompletionResponse Complete(string prompt, int maxTokens, string model)
    {
        var sentences = Sentences.Split(prompt);
        var firstSentence = sentences.Count > 0 ? sentences[0] : string.Empty;
        var words = WordTokenizer.Tokenize(prompt).Count;
        var keywords = Keywords.Top(prompt, KeywordCount).ConvertAll(k => k.Term);
        var full = $"Summary: {firstSentence} ({words} words; keywords: {string.Join(", ", keywords)})";

        var tokens = full.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var truncated = tokens.Length > maxTokens;
        var completion = truncated ? string.Join(' ', tokens, 0, maxTokens) : string.Join(' ', tokens);
        var promptTokens = WordTokenizer.CountWhitespaceTokens(prompt);
        var completionTokens = truncated ? maxTokens : tokens.Length;

        return new CompletionResponse(
            model,
            completion,
            truncated ? "length" : "stop",
            new CompletionUsage(promptTokens, completionTokens, promptTokens + completionTokens));
    }
}
