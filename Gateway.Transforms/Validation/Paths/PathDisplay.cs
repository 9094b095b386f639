using System.Text;

namespace Gateway.Transforms.Validation.Paths;

/// <summary>Makes untrusted paths safe to put in messages and logs: no raw control characters, bounded length.</summary>
internal static class PathDisplay
{
    private const int MaxShown = 200;

    public static string Quote(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "''";
        }

        var text = new StringBuilder(Math.Min(path.Length, MaxShown) + 8);
        text.Append('\'');
        int shown = Math.Min(path.Length, MaxShown);
        for (int i = 0; i < shown; i++)
        {
            char c = path[i];
            if (char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
            {
                text.Append(c).Append(path[++i]);
            }
            else if (PathCharacters.IsControl(c) || char.IsSurrogate(c) || PathCharacters.IsBidiControl(c))
            {
                text.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        if (path.Length > MaxShown)
        {
            text.Append("...");
        }

        return text.Append('\'').ToString();
    }

    public static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
