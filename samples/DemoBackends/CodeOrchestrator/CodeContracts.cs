namespace DemoBackends.CodeOrchestrator;

public sealed class AnalyzeRequest
{
    public string? Path { get; init; }
    public string? Language { get; init; }
}

public sealed class AuditRequest
{
    public string? Path { get; init; }
    public List<string>? Patterns { get; init; }
}

public sealed record FileAnalysis(
    string Path,
    string Language,
    int Lines,
    int BlankLines,
    int CommentLines,
    IReadOnlyList<string> Functions,
    int Todos);

public sealed record DirectoryAnalysis(
    string Path,
    string Kind,
    IReadOnlyList<FileAnalysis> Files,
    int TotalFiles,
    int TotalLines,
    int TotalTodos);

public sealed record AuditFinding(string File, int Line, string Pattern, string Excerpt);

public sealed record AuditResponse(string Path, IReadOnlyList<string> Patterns, IReadOnlyList<AuditFinding> Findings);
