using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Validation.Limits;

/// <summary>
/// Finds the JSONPath of the token starting at a byte offset by re-reading the document. Only used after a violation,
/// so the success path never has to track names and indices.
/// </summary>
internal static class JsonPathLocator
{
    private const int MaxNameShown = 64;

    public static string PathTo(ReadOnlySpan<byte> json, long tokenStart, int readerMaxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = readerMaxDepth });
        var frames = new List<Frame>();
        while (reader.Read())
        {
            bool isTarget = reader.TokenStartIndex == tokenStart;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    frames[^1] = frames[^1] with { Name = reader.GetString() };
                    if (isTarget)
                    {
                        return Format(frames);
                    }

                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                default:
                    if (frames.Count > 0 && frames[^1].IsArray)
                    {
                        frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                    }

                    if (isTarget)
                    {
                        return Format(frames);
                    }

                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, null));
                    }

                    break;
            }
        }

        return "$";
    }

    private static string Format(List<Frame> frames)
    {
        var path = new StringBuilder("$");
        foreach (Frame frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                AppendName(path, frame.Name ?? string.Empty);
            }
        }

        return path.ToString();
    }

    private static void AppendName(StringBuilder path, string name)
    {
        if (IsIdentifier(name))
        {
            path.Append('.').Append(name);
            return;
        }

        path.Append("['");
        int shown = Math.Min(name.Length, MaxNameShown);
        for (int i = 0; i < shown; i++)
        {
            char c = name[i];
            if (c is '\'' or '\\')
            {
                path.Append('\\').Append(c);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                path.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                path.Append(c);
            }
        }

        path.Append(name.Length > MaxNameShown ? "...']" : "']");
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameShown || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Name);
}
