namespace DemoBackends.CodeOrchestrator;

/// <summary>Language names the orchestrator knows, detection by file extension, and each language's comment syntax.</summary>
internal static class Languages
{
    public const string CSharp = "csharp";
    public const string Python = "python";
    public const string JavaScript = "javascript";
    public const string TypeScript = "typescript";
    public const string Markdown = "markdown";
    public const string Yaml = "yaml";
    public const string Text = "text";

    public static IReadOnlyList<string> Known { get; } = [CSharp, Python, JavaScript, TypeScript, Markdown, Yaml, Text];

    public static bool IsKnown(string language) => Known.Contains(language, StringComparer.OrdinalIgnoreCase);

    public static string Detect(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".cs" => CSharp,
        ".py" => Python,
        ".js" or ".mjs" or ".cjs" => JavaScript,
        ".ts" => TypeScript,
        ".md" => Markdown,
        ".yml" or ".yaml" => Yaml,
        _ => Text,
    };

    public static string? LineCommentPrefix(string language) => language switch
    {
        CSharp or JavaScript or TypeScript => "//",
        Python or Yaml => "#",
        _ => null,
    };

    public static bool HasBlockComments(string language) => language is CSharp or JavaScript or TypeScript;
}
