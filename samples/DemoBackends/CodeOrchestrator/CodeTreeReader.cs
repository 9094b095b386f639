using DemoBackends.Common;

namespace DemoBackends.CodeOrchestrator;

internal readonly record struct CodeTarget(string FullPath, bool IsDirectory, IResult? Error);

/// <summary>Locates request paths inside the <see cref="CodeRoot"/> and runs the analyses over files or whole folders.</summary>
internal sealed class CodeTreeReader(CodeRoot root)
{
    private const int MaxFiles = 1000;
    private const long MaxFileBytes = 1024 * 1024;

    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
    };

    public CodeTarget Locate(string requested)
    {
        switch (root.Resolve(requested, out var fullPath))
        {
            case PathCheck.Malformed:
                return new CodeTarget(string.Empty, false, ApiResults.InvalidField("path", "is not a valid file system path."));
            case PathCheck.Outside:
                return new CodeTarget(string.Empty, false, ApiResults.Error(
                    StatusCodes.Status403Forbidden,
                    "forbidden_path",
                    "'path' resolves outside the code root; use a path relative to the code root."));
        }

        if (Directory.Exists(fullPath))
        {
            return new CodeTarget(fullPath, true, null);
        }

        return File.Exists(fullPath)
            ? new CodeTarget(fullPath, false, null)
            : new CodeTarget(string.Empty, false, ApiResults.NotFound($"No file or directory '{requested}' under the code root."));
    }

    public FileAnalysis AnalyzeFile(string fullPath, string? language) =>
        SourceAnalyzer.Analyze(root.Relative(fullPath), ReadLines(fullPath), language ?? Languages.Detect(fullPath));

    public DirectoryAnalysis AnalyzeDirectory(string fullPath, string? language)
    {
        var files = new List<FileAnalysis>();
        int totalLines = 0, totalTodos = 0;
        foreach (var file in FilesUnder(fullPath))
        {
            var detected = Languages.Detect(file);
            if (language is not null && detected != language)
            {
                continue;
            }

            var analysis = SourceAnalyzer.Analyze(root.Relative(file), ReadLines(file), detected);
            files.Add(analysis);
            totalLines += analysis.Lines;
            totalTodos += analysis.Todos;
        }

        return new DirectoryAnalysis(root.Relative(fullPath), "directory", files, files.Count, totalLines, totalTodos);
    }

    public AuditResponse Audit(string fullPath, IReadOnlyList<string> patterns)
    {
        var findings = new List<AuditFinding>();
        var files = Directory.Exists(fullPath) ? FilesUnder(fullPath) : [fullPath];
        foreach (var file in files)
        {
            var relative = root.Relative(file);
            var lines = ReadLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (var pattern in patterns)
                {
                    if (AuditPatterns.Matches(pattern, lines[i], out var excerpt))
                    {
                        findings.Add(new AuditFinding(relative, i + 1, pattern, excerpt));
                    }
                }
            }
        }

        return new AuditResponse(root.Relative(fullPath), patterns, findings);
    }

    private static List<string> FilesUnder(string directory)
    {
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", Walk))
        {
            if (new FileInfo(file).Length <= MaxFileBytes)
            {
                files.Add(file);
            }

            if (files.Count == MaxFiles)
            {
                break;
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static string[] ReadLines(string file)
    {
        var text = File.ReadAllText(file);
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        // A trailing newline ends the last line; it does not start another one.
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }
}
