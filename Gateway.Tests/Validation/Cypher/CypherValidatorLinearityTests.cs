using System.Diagnostics;
using System.Text;
using Gateway.Transforms.Validation.Cypher;

namespace Gateway.Tests.Validation.Cypher;

/// <summary>Work, counted in lexer steps, must grow linearly: 8x the input may cost at most ~8x the steps.</summary>
public sealed class CypherValidatorLinearityTests
{
    private const int SmallSize = 20_000;

    private static readonly Func<int, string>[] Shapes =
    [
        n => "RETURN " + Repeat("n.a + ", n) + "1",
        n => "RETURN 1 " + Repeat("/* /* /* * / */ ", n),
        n => "RETURN 1 " + Repeat("// comment\n", n),
        n => "RETURN '" + Repeat(@"\'\\x", n) + "'",
        n => "RETURN n." + Repeat(@"\u0061", n),
        n => "RETURN x." + Repeat("a.", n) + "b",
        n => "MATCH " + Repeat("((a)-->(b)){1,2} ", n) + "RETURN a",
        n => "MATCH (n) RETURN n " + Repeat("UNION MATCH (n) RETURN n ", n),
        n => "RETURN [" + Repeat("{a: [1, (2)]}, ", n) + "1]",
        n => "RETURN 1 /*" + Repeat("x", n),
        n => "RETURN '" + Repeat("a", n),
        n => "RETURN apoc." + Repeat("x.", n) + "f()",
    ];

    private static IEnumerable<TestCaseData> ShapeCases() =>
        Shapes.Select((shape, index) => new TestCaseData(index).SetArgDisplayNames(shape(3)[..Math.Min(40, shape(3).Length)]));

    [TestCaseSource(nameof(ShapeCases))]
    public void ValidateCore_EightTimesLargerInput_CostsAtMostProportionallyMoreSteps(int shapeIndex)
    {
        string small = Fit(Shapes[shapeIndex], SmallSize);
        string large = Fit(Shapes[shapeIndex], SmallSize * 8);

        CypherReadOnlyValidator.ValidateCore(small, CypherPolicy.ReadOnly, out long smallSteps);
        var watch = Stopwatch.StartNew();
        CypherReadOnlyValidator.ValidateCore(large, CypherPolicy.ReadOnly, out long largeSteps);
        watch.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(smallSteps, Is.GreaterThan(0));
            Assert.That(largeSteps, Is.LessThanOrEqualTo(smallSteps * 10), "steps grew faster than the input");
            Assert.That(largeSteps, Is.LessThanOrEqualTo(large.Length * 4L), "more than a few steps per character");
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "only a quadratic blow-up could take this long");
        }
    }

    [Test]
    public void ValidateCore_LargeReadQuery_IsAllowedAfterReadingEveryToken()
    {
        string query = Fit(Shapes[0], SmallSize * 8);

        var result = CypherReadOnlyValidator.ValidateCore(query, CypherPolicy.ReadOnly, out long steps);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.True, result.Reason);
            Assert.That(steps, Is.GreaterThanOrEqualTo(query.Length * 3L / 4));
        }
    }

    [Test]
    public void ValidateCore_WriteAfterHugeComment_IsFoundAtTheEnd()
    {
        string query = "MATCH (n) /*" + new string('*', 160_000) + "/ DELETE n";

        var result = CypherReadOnlyValidator.ValidateCore(query, CypherPolicy.ReadOnly, out _);

        Assert.That(result.Position, Is.EqualTo(query.IndexOf("DELETE", StringComparison.Ordinal)));
    }

    private static string Fit(Func<int, string> shape, int size)
    {
        int unit = Math.Max(1, shape(2).Length - shape(1).Length);
        return shape(Math.Max(1, size / unit));
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
