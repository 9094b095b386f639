namespace Gateway.Transforms.Validation.Paths;

/// <summary>Characters refused under every rule set.</summary>
internal static class PathCharacters
{
    /// <summary>Returns the index of the first refused character, or -1, and why it is refused.</summary>
    public static int IndexOfDisallowed(ReadOnlySpan<char> path, out PathRejection reason)
    {
        reason = PathRejection.None;
        int start = path.IndexOfAnyExceptInRange(' ', '~');
        if (start < 0)
        {
            return -1;
        }

        for (int i = start; i < path.Length; i++)
        {
            char c = path[i];
            if (IsControl(c))
            {
                reason = PathRejection.ControlCharacter;
                return i;
            }

            if (char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || IsLookalikeOrBidi(c))
            {
                reason = PathRejection.InvalidCharacter;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Why a character refused by <see cref="IndexOfDisallowed"/> is dangerous, for messages.</summary>
    public static string Explain(char c) =>
        IsControl(c) ? "a control character"
        : char.IsSurrogate(c) ? "an unpaired UTF-16 surrogate, which has no UTF-8 form"
        : IsBidiControl(c) ? "a bidirectional control, which makes the path display differently from what it is"
        : "a look-alike that some systems normalize to '.', '/', '\\' or ':'";

    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    public static bool IsControl(char c) => c < ' ' || c is >= '\u007F' and <= '\u009F';

    /// <summary>
    /// Characters that NFKC normalization or Windows "best fit" code-page conversion turn into '.', '/', '\' or ':'
    /// (so a backend could see "..\" where we saw a name), and bidi controls that make a path display differently
    /// from what it is to a human approving the call.
    /// </summary>
    private static bool IsLookalikeOrBidi(char c) => c switch
    {
        '\u2024' or '\u2025' or '\uFE52' or '\uFF0E' => true, // one/two dot leader, small and fullwidth full stop
        '\u2215' or '\u2044' or '\uFF0F' => true, // division slash, fraction slash, fullwidth solidus
        '\u2216' or '\uFE68' or '\uFF3C' or '\u29F5' => true, // set minus, small/fullwidth reverse solidus, reverse solidus operator
        '\uFF1A' or '\uFE55' or '\uFE13' => true, // fullwidth, small and vertical colon
        _ => IsBidiControl(c),
    };
}
