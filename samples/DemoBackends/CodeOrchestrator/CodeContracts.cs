namespace DemoBackends.CodeOrchestrator;

// Request DTOs use setters, not init: the JSON source generator assigns every init-only property and would wipe the defaults.
public sealed class AnalyzeRequest
{
    public string? Path { get; set; }
    public string? Language { get; set; }
}

public sealed class AuditRequest
{
    public string? Path { get; set; }
    public List<string>? Patterns { get; set; }
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
