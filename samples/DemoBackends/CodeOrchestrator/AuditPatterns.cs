namespace DemoBackends.CodeOrchestrator;

/// <summary>
/// The built-in audit patterns. Each checks one line; a hard-coded secret's value is masked in the excerpt so the
/// audit report does not spread the secret further.
/// </summary>
internal static class AuditPatterns
{
    public const string HardcodedSecret = "hardcoded-secret";
    public const string EvalCall = "eval-call";
    public const string Todo = "todo";
    public const string SqlConcat = "sql-concat";

    public static IReadOnlyList<string> All { get; } = [HardcodedSecret, EvalCall, Todo, SqlConcat];

    private static readonly string[] SecretNames = ["password", "passwd", "secret", "api_key", "apikey", "token"];
    private static readonly string[] SqlStarts = ["select ", "insert into ", "update ", "delete from "];

    /// <summary>True when <paramref name="line"/> matches; <paramref name="excerpt"/> is the trimmed, masked line.</summary>
    public static bool Matches(string pattern, string line, out string excerpt)
    {
        excerpt = string.Empty;
        var matched = pattern switch
        {
            HardcodedSecret => TryFindSecret(line, out var valueStart, out var valueLength)
                && Mask(line, valueStart, valueLength, out excerpt),
            EvalCall => HasEvalCall(line),
            Todo => TodoMarkers.In(line),
            SqlConcat => HasSqlConcatenation(line),
            _ => false,
        };

        if (matched && excerpt.Length == 0)
        {
            excerpt = Shorten(line.Trim());
        }

        return matched;
    }

    private static bool TryFindSecret(string line, out int valueStart, out int valueLength)
    {
        valueStart = valueLength = 0;
        var lower = line.ToLowerInvariant();
        foreach (var name in SecretNames)
        {
            for (var at = lower.IndexOf(name, StringComparison.Ordinal); at >= 0; at = lower.IndexOf(name, at + 1, StringComparison.Ordinal))
            {
                var i = at + name.Length;
                i = SkipWhile(lower, i, c => c is '"' or '\'' || char.IsWhiteSpace(c));
                if (i >= lower.Length || lower[i] is not ('=' or ':') || (i + 1 < lower.Length && lower[i + 1] == '='))
                {
                    continue;
                }

                i = SkipWhile(lower, i + 1, char.IsWhiteSpace);
                if (i >= lower.Length || lower[i] is not ('"' or '\''))
                {
                    continue;
                }

                var close = lower.IndexOf(lower[i], i + 1);
                if (close > i + 1)
                {
                    valueStart = i + 1;
                    valueLength = close - valueStart;
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasEvalCall(string line)
    {
        for (var at = line.IndexOf("eval(", StringComparison.Ordinal); at >= 0; at = line.IndexOf("eval(", at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !(char.IsAsciiLetterOrDigit(line[at - 1]) || line[at - 1] is '_' or '$'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasSqlConcatenation(string line)
    {
        var lower = line.ToLowerInvariant();
        var hasSql = false;
        foreach (var start in SqlStarts)
        {
            hasSql |= lower.Contains(start, StringComparison.Ordinal);
        }

        if (!hasSql || !(lower.Contains('"') || lower.Contains('\'')))
        {
            return false;
        }

        var concatenates = lower.Contains("\" +", StringComparison.Ordinal) || lower.Contains("' +", StringComparison.Ordinal)
            || lower.Contains("+ \"", StringComparison.Ordinal) || lower.Contains("+ '", StringComparison.Ordinal);
        var interpolates = (lower.Contains("f\"", StringComparison.Ordinal) || lower.Contains("$\"", StringComparison.Ordinal)
            || lower.Contains('`')) && lower.Contains('{');
        return concatenates || interpolates;
    }

    private static bool Mask(string line, int valueStart, int valueLength, out string excerpt)
    {
        excerpt = Shorten(string.Concat(line.AsSpan(0, valueStart), "***", line.AsSpan(valueStart + valueLength)).Trim());
        return true;
    }

    private static int SkipWhile(string text, int start, Func<char, bool> predicate)
    {
        while (start < text.Length && predicate(text[start]))
        {
            start++;
        }

        return start;
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
