using System.Text;

namespace DemoBackends.Text;

/// <summary>Splits text into sentences at '.', '!' or '?' followed by whitespace or the end; whitespace is collapsed.</summary>
internal static class Sentences
{
    public static List<string> Split(string text)
    {
        var sentences = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 && current[^1] != ' ')
                {
                    current.Append(' ');
                }

                continue;
            }

            current.Append(c);
            var endsSentence = c is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]));
            if (endsSentence)
            {
                Flush(current, sentences);
            }
        }

        Flush(current, sentences);
        return sentences;
    }

    private static void Flush(StringBuilder current, List<string> sentences)
    {
        var sentence = current.ToString().Trim();
        if (sentence.Length > 0)
        {
            sentences.Add(sentence);
        }

        current.Clear();
    }
}
