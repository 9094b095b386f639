using System.Text.Json;
using Gateway.Transforms.Validation.Limits;

namespace Gateway.Tests.Validation.Limits;

/// <summary>
/// Hostile nesting must be handled without recursion. The document is parsed once per fixture because
/// JsonDocument.Parse itself takes tens of seconds at this depth (its cost grows with the square of the depth).
/// </summary>
public sealed class ArgumentLimitCheckerDeepNestingTests
{
    private const int Levels = 100_000;

    private JsonDocument _document = null!;

    [OneTimeSetUp]
    public void ParseDeepDocument() =>
        _document = JsonDocument.Parse(new string('[', Levels) + new string(']', Levels), new JsonDocumentOptions { MaxDepth = Levels + 1 });

    [OneTimeTearDown]
    public void DisposeDocument() => _document.Dispose();

    [Test]
    public void Check_HundredThousandLevelsWithDefaultDepth_ReportsDepthAtLevel33()
    {
        LimitViolation? violation = ArgumentLimitChecker.Check(_document.RootElement, new ArgumentLimits { MaxRequestBodyBytes = long.MaxValue });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(violation?.Path, Is.EqualTo("$" + string.Concat(Enumerable.Repeat("[0]", 32))));
            Assert.That(violation?.Actual, Is.EqualTo(33));
        }
    }

    [Test]
    public void Check_HundredThousandLevelsWithinAHugeDepthLimit_WalksIterativelyAndPasses()
    {
        var limits = new ArgumentLimits { MaxDepth = int.MaxValue, MaxRequestBodyBytes = long.MaxValue };

        Assert.That(ArgumentLimitChecker.Check(_document.RootElement, limits), Is.Null);
    }

    [Test]
    public void Check_HundredThousandLevelsWithLimitJustBelow_ReportsTheLastLevel()
    {
        var limits = new ArgumentLimits { MaxDepth = Levels - 1, MaxRequestBodyBytes = long.MaxValue };

        LimitViolation? violation = ArgumentLimitChecker.Check(_document.RootElement, limits);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(violation?.Actual, Is.EqualTo(Levels));
            Assert.That(violation?.Path.Length, Is.EqualTo(1 + (3 * (Levels - 1))));
        }
    }
}
