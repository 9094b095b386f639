using System.Text;
using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

/// <summary>Seeded random inputs: the validator must never throw, always finish, and keep its verdicts under respacing.</summary>
public sealed class CypherValidatorFuzzTests
{
    private static readonly string[] Fragments =
    [
        "'", "\"", "`", "\\", "\\\\", "\\u", "\\u0027", "\\u000A", "\\u002A", "\\u0060", "\\u005C", "\\uZZZZ",
        "/*", "*/", "//", "\n", "\r", "\u2028", "\uFEFF", "\u00A0", "{", "}", "(", ")", "[", "]", ";", ":", "::",
        "$", "${", "*", "..", "-", "->", "<-", "|", ".", ",", "=", "+", "0x", "1e+", "CREATE", "CALL", "UNION",
        "EXISTS {", "AS", "\uD800", "\uDC00", "\u0000", "é", "名",
    ];

    private static readonly string[] CypherWhitespace =
        ["\t", "\u00A0", "\u2003", "\u3000", "\u000B", "\u001C", "\uFEFF", "\u1680", "\u202F", "\u0085"];

    [Test]
    public void ValidateCore_MutatedCorpusQueries_NeverThrowsAndFinishes()
    {
        var seeds = CypherAttackCorpus.AllQueries().Concat(CypherBenignCorpus.Queries).ToArray();
        var random = new Random(20240611);
        var inputs = Enumerable.Range(0, 4000).Select(_ => Mutate(seeds[random.Next(seeds.Length)], random)).ToArray();

        AssertAllFinishWithoutThrowing(inputs);
    }

    [Test]
    public void ValidateCore_RandomStrings_NeverThrowsAndFinishes()
    {
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 2000).Select(_ => RandomText(random)).ToArray();

        AssertAllFinishWithoutThrowing(inputs);
    }

    [Test]
    public void Validate_AttackWithSpacesReplacedByOtherWhitespaceOrComments_IsStillRejected()
    {
        var random = new Random(99);
        string[] separators = [.. CypherWhitespace, "/**/", "/* x */", "\n// c\n"];
        foreach (string attack in CypherAttackCorpus.AllQueries())
        {
            // A "/* x */" separator inside an existing block comment would close it early.
            bool hasBlockComment = attack.Contains("/*", StringComparison.Ordinal);
            string respaced = Respace(attack, hasBlockComment ? CypherWhitespace : separators, random);

            var result = CypherReadOnlyValidator.Validate(respaced, CypherPolicy.ReadOnly);

            Assert.That(result.IsAllowed, Is.False, () => $"allowed after respacing: {Escape(respaced)}");
        }
    }

    [Test]
    public void Validate_BenignQueryWithSpacesReplacedByOtherWhitespace_IsStillAllowed()
    {
        var random = new Random(101);
        foreach (string benign in CypherBenignCorpus.Queries)
        {
            string respaced = Respace(benign, CypherWhitespace, random);

            var result = CypherReadOnlyValidator.Validate(respaced, CypherPolicy.ReadOnly);

            Assert.That(result.IsAllowed, Is.True, () => $"{result.Reason} in: {respaced}");
        }
    }

    private static void AssertAllFinishWithoutThrowing(string[] inputs)
    {
        var failures = new List<string>();
        var run = Task.Run(() =>
        {
            foreach (string input in inputs)
            {
                try
                {
                    var first = CypherReadOnlyValidator.ValidateCore(input, CypherPolicy.ReadOnly, out _);
                    var second = CypherReadOnlyValidator.ValidateCore(input, CypherPolicy.ReadOnly, out _);
                    if (first != second)
                    {
                        failures.Add($"non-deterministic: {input}");
                    }
                }
                catch (Exception ex)
                {
                    failures.Add($"{ex.GetType().Name} on: {input}");
                }
            }
        });

        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "validation did not finish");
        Assert.That(failures, Is.Empty);
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        int mutations = random.Next(1, 6);
        for (int i = 0; i < mutations; i++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1 when text.Length > 0:
                    at = Math.Min(at, text.Length - 1);
                    text.Remove(at, Math.Min(random.Next(1, 4), text.Length - at));
                    break;
                default:
                    if (text.Length > 0)
                    {
                        text[Math.Min(at, text.Length - 1)] = (char)random.Next(0, 0x10000);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        int parts = random.Next(0, 40);
        for (int i = 0; i < parts; i++)
        {
            text.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x10000) : Fragments[random.Next(Fragments.Length)]);
        }

        return text.ToString();
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c < ' ' || c > '~' ? $"<U+{(int)c:X4}>" : c.ToString()));

    private static string Respace(string query, string[] separators, Random random)
    {
        var text = new StringBuilder(query.Length * 2);
        foreach (char c in query)
        {
            text.Append(c == ' ' ? separators[random.Next(separators.Length)] : c.ToString());
        }

        return text.ToString();
    }
}
