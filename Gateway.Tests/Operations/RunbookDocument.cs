using System.Text;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>docs/runbook.md: its headings as GitHub anchors, and its fenced blocks.</summary>
internal static partial class RunbookDocument
{
    public const string Url = "https://github.com/example/mcp-gateway/blob/main/docs/runbook.md";

    public static readonly string FilePath = Path.Combine(SeedRoutes.RepositoryRoot, "docs", "runbook.md");

    public static string Text => File.ReadAllText(FilePath);

    /// <summary>The anchors GitHub generates for the headings: lower case, punctuation dropped, spaces to hyphens.</summary>
    public static HashSet<string> Anchors()
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(Text))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups[1].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = slug + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"(?m)^#{1,6} (.+)$")]
    private static partial Regex Heading();
}
