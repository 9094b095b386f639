using System.Globalization;
using System.Text;

namespace Gateway.Transforms.Pipeline;

/// <summary>
/// Caller-controlled text on its way into an error message, a log or the audit trail: cut to a bound with a visible
/// marker (<c>…[truncated, 307200 chars]</c>), never in the middle of a surrogate pair, and with lone surrogates
/// replaced by U+FFFD so the text always serializes as valid JSON. Text within the bound and well formed is returned
/// as is, without allocating.
/// </summary>
public static class CallerText
{
    /// <summary>How much of a caller's value an error message quotes.</summary>
    public const int EchoLength = 128;

    public static string Echo(string value) => Bound(value, EchoLength);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Bound(string? value, int maxChars)
    {
        if (value is null || (value.Length <= maxChars && IsWellFormed(value)))
        {
            return value;
        }

        var keep = Math.Min(value.Length, maxChars);
        if (keep > 0 && keep < value.Length && char.IsHighSurrogate(value[keep - 1]) && char.IsLowSurrogate(value[keep]))
        {
            keep--;
        }

        var builder = new StringBuilder(keep + 40);
        for (var i = 0; i < keep; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < keep && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        if (keep < value.Length)
        {
            builder.Append("…[truncated, ").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars]");
        }

        return builder.ToString();
    }

    private static bool IsWellFormed(string value)
    {
        var span = value.AsSpan();
        var index = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (index < 0)
        {
            return true;
        }

        for (var i = index; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
