namespace DemoBackends.CodeOrchestrator;

/// <summary>Line statistics, declared functions and TODO/FIXME markers of one source file.</summary>
internal static class SourceAnalyzer
{
    public static FileAnalysis Analyze(string relativePath, string[] lines, string language)
    {
        var lineComment = Languages.LineCommentPrefix(language);
        var blockComments = Languages.HasBlockComments(language);
        var inBlock = false;
        int blank = 0, comments = 0, todos = 0;
        var functions = new List<string>();

        foreach (var line in lines)
        {
            var trimmed = line.AsSpan().Trim();
            if (TodoMarkers.In(line))
            {
                todos++;
            }

            if (inBlock)
            {
                comments++;
                inBlock = trimmed.IndexOf("*/", StringComparison.Ordinal) < 0;
                continue;
            }

            if (trimmed.IsEmpty)
            {
                blank++;
            }
            else if (lineComment is not null && trimmed.StartsWith(lineComment, StringComparison.Ordinal))
            {
                comments++;
            }
            else if (blockComments && trimmed.StartsWith("/*", StringComparison.Ordinal))
            {
                comments++;
                inBlock = trimmed[2..].IndexOf("*/", StringComparison.Ordinal) < 0;
            }
            else if (FunctionFinder.FindIn(line, language) is { } function)
            {
                functions.Add(function);
            }
        }

        return new FileAnalysis(relativePath, language, lines.Length, blank, comments, functions, todos);
    }
}

internal static class TodoMarkers
{
    public static bool In(string line) =>
        line.Contains("TODO", StringComparison.Ordinal) || line.Contains("FIXME", StringComparison.Ordinal);
}
