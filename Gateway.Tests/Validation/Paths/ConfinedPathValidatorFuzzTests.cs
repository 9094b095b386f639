using System.Text;
using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

public sealed class ConfinedPathValidatorFuzzTests
{
    private const int Iterations = 20_000;

    private static readonly string[] Fragments =
    [
        "..", ".", "/", "\\", "//", "\\\\", "%", "%2e", "%2E", "%2f", "%5c", "%25", "%c0", "%ae", "%ff", "%00", "%zz", "\0", ":",
        "::$DATA", "con", "nul.txt", "COM¹", " ", ". ", "\u202e", "\uff0e", "\uff0f", "\ud800", "\udc00", "C:", "D:", "\\\\?\\",
        "\\\\.\\", "\\??\\", "a", "data", "srv", "repos", "日本", "😀", "~", "*", "?", "|", "\u0085", "\u007f", "\t",
    ];

    private static readonly string[] Seeds =
    [
        "/data/x", "../etc/passwd", "/srv/repos/a/b", @"C:\repos\x", @"\\server\share", "%2e%2e%2f", "/data/../data", "src/main.cs",
    ];

    [TestCase(PathRules.Posix, 1)]
    [TestCase(PathRules.Posix, 2)]
    [TestCase(PathRules.Windows, 3)]
    [TestCase(PathRules.Windows, 4)]
    public void Validate_RandomFragmentsAndMutations_NeverThrowAndAllowedResultsStayInside(PathRules rules, int seed)
    {
        string[] roots = rules == PathRules.Windows ? [@"C:\repos", @"C:\data"] : ["/srv/repos", "/data"];
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = roots, Rules = rules, Symlinks = SymlinkHandling.BackendConfines });
        var random = new Random(seed);
        int allowed = 0;

        for (int i = 0; i < Iterations; i++)
        {
            string input = i % 2 == 0 ? FromFragments(random) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            PathValidationResult result;
            try
            {
                result = validator.Validate(input);
            }
            catch (Exception e)
            {
                Assert.Fail($"Validate threw {e.GetType().Name} for input {Escape(input)} (seed {seed}, iteration {i}): {e.Message}");
                return;
            }

            string? violation = Check(result, roots, rules);
            if (violation is not null)
            {
                Assert.Fail($"{violation} for input {Escape(input)} (seed {seed}, iteration {i})");
            }

            allowed += result.IsAllowed ? 1 : 0;
        }

        Assert.That(allowed, Is.GreaterThan(0), "the fuzzer never produced an allowed path, so the inside-root invariant was not exercised");
    }

    private static string? Check(PathValidationResult result, string[] roots, PathRules rules)
    {
        if (!result.IsAllowed)
        {
            return result.Reason == PathRejection.None || string.IsNullOrEmpty(result.Message) || result.CanonicalPath is not null
                ? $"inconsistent rejection {result}"
                : null;
        }

        string canonical = result.CanonicalPath!;
        char separator = rules == PathRules.Windows ? '\\' : '/';
        StringComparison comparison = rules == PathRules.Windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        bool inside = roots.Any(r => canonical.Equals(r, comparison) || canonical.StartsWith(r + separator, comparison));
        string[] names = canonical.Split(separator);
        if (!inside)
        {
            return $"allowed path '{canonical}' is outside the roots";
        }

        if (names.Skip(1).Any(n => n is "" or "." or ".."))
        {
            return $"allowed path '{canonical}' is not canonical";
        }

        if (rules == PathRules.Windows && canonical.IndexOf('/') >= 0)
        {
            return $"allowed Windows path '{canonical}' still contains '/'";
        }

        return canonical.Any(c => c < ' ') ? $"allowed path '{Escape(canonical)}' contains a control character" : null;
    }

    private static string FromFragments(Random random)
    {
        var text = new StringBuilder();
        int count = random.Next(1, 12);
        for (int i = 0; i < count; i++)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return text.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        int edits = random.Next(1, 5);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(4))
            {
                case 0 when text.Length > 0 && at < text.Length:
                    text.Remove(at, 1);
                    break;
                case 1:
                    text.Insert(at, (char)random.Next(0, 0x10000));
                    break;
                case 2:
                    text.Insert(at, (char)random.Next(0x20, 0x7F));
                    break;
                default:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
            }
        }

        return text.ToString();
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
