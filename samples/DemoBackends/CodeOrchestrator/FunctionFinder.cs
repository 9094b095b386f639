namespace DemoBackends.CodeOrchestrator;

/// <summary>
/// Finds declared function names line by line with simple token rules per language. It is a heuristic for the demo,
/// not a parser: it recognises the common declaration shapes and ignores calls and control statements.
/// </summary>
internal static class FunctionFinder
{
    private static readonly HashSet<string> ControlWords = new(StringComparer.Ordinal)
    {
        "if", "for", "foreach", "while", "switch", "catch", "using", "return", "new", "else", "lock", "throw", "await",
        "nameof", "typeof", "sizeof", "default", "when", "case", "do", "try", "fixed", "base", "this",
    };

    private static readonly HashSet<string> TypeDeclarationWords = new(StringComparer.Ordinal)
    {
        "class", "record", "struct", "interface", "enum", "delegate",
    };

    public static string? FindIn(string line, string language)
    {
        var trimmed = line.Trim();
        return language switch
        {
            Languages.Python => AfterKeyword(trimmed, "def ") ?? AfterKeyword(trimmed, "async def "),
            Languages.JavaScript or Languages.TypeScript => JavaScriptFunction(trimmed),
            Languages.CSharp => CSharpMethod(trimmed),
            _ => null,
        };
    }

    private static string? AfterKeyword(string trimmed, string keyword) =>
        trimmed.StartsWith(keyword, StringComparison.Ordinal) ? Identifier(trimmed, keyword.Length) : null;

    private static string? JavaScriptFunction(string trimmed)
    {
        var functionAt = trimmed.IndexOf("function ", StringComparison.Ordinal);
        if (functionAt >= 0 && (functionAt == 0 || !IsIdentifierChar(trimmed[functionAt - 1])))
        {
            var name = Identifier(trimmed, functionAt + "function ".Length);
            if (name is not null)
            {
                return name;
            }
        }

        foreach (var binding in new[] { "const ", "let ", "var " })
        {
            if (!trimmed.StartsWith(binding, StringComparison.Ordinal))
            {
                continue;
            }

            var name = Identifier(trimmed, binding.Length);
            var arrow = trimmed.IndexOf("=>", StringComparison.Ordinal);
            var functionKeyword = trimmed.IndexOf("function", StringComparison.Ordinal);
            return name is not null && (arrow > 0 || functionKeyword > 0) ? name : null;
        }

        return null;
    }

    private static string? CSharpMethod(string trimmed)
    {
        if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith('*') || trimmed.EndsWith(';'))
        {
            return null;
        }

        var paren = trimmed.IndexOf('(');
        if (paren <= 0 || trimmed.AsSpan(0, paren).Contains('='))
        {
            return null;
        }

        var words = trimmed[..paren].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || ControlWords.Contains(words[0]))
        {
            return null;
        }

        foreach (var word in words)
        {
            if (TypeDeclarationWords.Contains(word))
            {
                return null;
            }
        }

        var name = words[^1];
        var generic = name.IndexOf('<');
        if (generic > 0)
        {
            name = name[..generic];
        }

        return Identifier(name, 0) == name ? name : null;
    }

    private static string? Identifier(string text, int start)
    {
        var end = start;
        while (end < text.Length && IsIdentifierChar(text[end]))
        {
            end++;
        }

        return end > start && !char.IsAsciiDigit(text[start]) ? text[start..end] : null;
    }

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';
}
