using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

public sealed class PathPolicyValidationTests
{
    [TestCase(PathRules.Posix, "srv/repos", "root 'srv/repos' is not absolute under Posix rules")]
    [TestCase(PathRules.Posix, "/srv/../etc", "root '/srv/../etc' contains a '.' or '..' segment")]
    [TestCase(PathRules.Posix, "/srv/%2e%2e", "contains a percent-escape")]
    [TestCase(PathRules.Posix, "/srv/a\0", "contains character U+0000")]
    [TestCase(PathRules.Posix, "  ", "a root is empty")]
    [TestCase(PathRules.Windows, "/srv/repos", "root '/srv/repos' is not absolute under Windows rules")]
    [TestCase(PathRules.Windows, "repos", "root 'repos' is not absolute under Windows rules")]
    [TestCase(PathRules.Windows, "C:repos", "root 'C:repos' is not absolute under Windows rules")]
    [TestCase(PathRules.Windows, @"\\server\share", "is a UNC or device path")]
    [TestCase(PathRules.Windows, @"\\?\C:\repos", "is a UNC or device path")]
    [TestCase(PathRules.Windows, @"C:\repos\nul", "has segment 'nul'")]
    [TestCase(PathRules.Windows, @"C:\repos.", "has segment 'repos.'")]
    public void ValidatePolicy_BadRoot_ReportsRootAndProblem(PathRules rules, string root, string expected)
    {
        IReadOnlyList<string> errors = ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [root], Rules = rules });

        Assert.That(errors, Has.Exactly(1).Contains(expected));
    }

    [Test]
    public void ValidatePolicy_NoRoots_AsksForOne()
    {
        IReadOnlyList<string> errors = ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [] });

        Assert.That(errors, Has.One.StartsWith("AllowedRoots is empty"));
    }

    [Test]
    public void ValidatePolicy_NonPositiveLimits_AreReported()
    {
        var policy = new PathPolicy { AllowedRoots = ["/data"], MaxPathLength = 0, MaxSegmentLength = -1 };

        IReadOnlyList<string> errors = ConfinedPathValidator.ValidatePolicy(policy);

        Assert.That(errors, Has.Count.EqualTo(2).And.Some.StartsWith("MaxPathLength").And.Some.StartsWith("MaxSegmentLength"));
    }

    [TestCase(PathRules.Posix, "/srv/repos")]
    [TestCase(PathRules.Posix, "/")]
    [TestCase(PathRules.Windows, @"C:\repos")]
    [TestCase(PathRules.Windows, "c:/repos/")]
    [TestCase(PathRules.Windows, @"C:\")]
    public void ValidatePolicy_GoodRoot_HasNoErrors(PathRules rules, string root)
    {
        Assert.That(ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [root], Rules = rules, Symlinks = SymlinkHandling.BackendConfines }), Is.Empty);
    }

    [Test]
    public void Constructor_BadRoot_ThrowsArgumentExceptionNamingEveryBadRoot()
    {
        var policy = new PathPolicy { AllowedRoots = ["/ok", "relative", "/also/../bad"] };

        Assert.That(
            () => new ConfinedPathValidator(policy),
            Throws.ArgumentException
                .With.Property(nameof(ArgumentException.ParamName)).EqualTo("policy")
                .And.Message.Contains("'relative'")
                .And.Message.Contains("'/also/../bad'"));
    }
}
