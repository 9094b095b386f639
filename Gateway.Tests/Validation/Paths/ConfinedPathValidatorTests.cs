using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

public sealed class ConfinedPathValidatorTests
{
    [Test]
    public void Validate_RelativeEscape_MessageNamesRootAndWhatToPass()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/srv/repos"], Symlinks = SymlinkHandling.BackendConfines });

        PathValidationResult result = validator.Validate("../etc/passwd");

        Assert.That(result.Message, Is.EqualTo("path '../etc/passwd' escapes the allowed root '/srv/repos'; pass a path inside one of: /srv/repos"));
    }

    [Test]
    public void Validate_ControlCharacterInPath_MessageShowsItEscaped()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], Symlinks = SymlinkHandling.BackendConfines });

        PathValidationResult result = validator.Validate("/data/a\0b\u001b[2J");

        Assert.That(result.Message, Does.Contain(@"'/data/a\u0000b\u001B[2J'").And.Not.Contain("\0").And.Contain("U+0000"));
    }

    [TestCase("/data/\uff0e\uff0e", "U+FF0E at position 6, a look-alike")]
    [TestCase("/data/\u202Etxt.exe", "U+202E at position 6, a bidirectional control")]
    [TestCase("/data/%00", "U+0000 at position 6 of the decoded path, a control character")]
    public void Validate_RefusedCharacter_MessageNamesCodePointPositionAndDanger(string path, string expected)
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate(path).Message, Does.Contain(expected));
    }

    [Test]
    public void Validate_LoneSurrogate_MessageNamesIt()
    {
        // Built at run time: attribute arguments are stored as UTF-8, which would turn the surrogate into U+FFFD.
        string path = "/data/a" + (char)0xD800;
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate(path).Message, Does.Contain("U+D800 at position 7, an unpaired UTF-16 surrogate"));
    }

    [Test]
    public void Validate_VeryLongPath_MessageQuotesItTruncated()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], Symlinks = SymlinkHandling.BackendConfines });

        PathValidationResult result = validator.Validate("/etc/" + new string('x', 1000));

        Assert.That(result.Message!.Length, Is.LessThan(400));
    }

    [Test]
    public void Validate_Null_IsRejectedAsEmpty()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate(null!).Reason, Is.EqualTo(PathRejection.Empty));
    }

    [TestCase("/data", true)]
    [TestCase("/data/x", true)]
    [TestCase("/data-evil", false)]
    [TestCase("/data-evil/x", false)]
    [TestCase("/database", false)]
    public void Validate_RootWithTrailingSeparatorInConfig_StillComparesWholeNames(string path, bool allowed)
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data/"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate(path).IsAllowed, Is.EqualTo(allowed));
    }

    [Test]
    public void Validate_FileSystemTopAsRoot_AdmitsEveryAbsolutePath()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate("/etc/passwd").CanonicalPath, Is.EqualTo("/etc/passwd"));
    }

    [Test]
    public void Validate_DotDotAboveTopWithTopAsRoot_IsEscape()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate("/../etc").Reason, Is.EqualTo(PathRejection.EscapesRoot));
    }

    [Test]
    public void Validate_NestedRoots_DotDotFromInnerIntoOuterRootIsAllowed()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data", "/data/sub"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate("/data/sub/../x").CanonicalPath, Is.EqualTo("/data/x"));
    }

    [Test]
    public void Validate_RelativePath_ResolvesAgainstFirstRoot()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/b", "/a"], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate("x/y").CanonicalPath, Is.EqualTo("/b/x/y"));
    }

    [Test]
    public void Validate_RelativePathWhenDisallowed_IsRejected()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], AllowRelative = false, Symlinks = SymlinkHandling.BackendConfines });

        PathValidationResult result = validator.Validate("x.txt");

        Assert.That(result.Reason, Is.EqualTo(PathRejection.RelativeNotAllowed));
    }

    [TestCase(PathRules.Posix, null, "/data/x", "/DATA/x", false)]
    [TestCase(PathRules.Posix, false, "/data/x", "/DATA/x", true)]
    [TestCase(PathRules.Windows, null, @"C:\data\x", @"c:\DATA\x", true)]
    [TestCase(PathRules.Windows, true, @"C:\data\x", @"C:\DATA\x", false)]
    [TestCase(PathRules.Windows, true, @"C:\data\x", @"c:\data\x", true)]
    public void Validate_CaseRule_FollowsRulesDefaultOrExplicitSetting(PathRules rules, bool? caseSensitive, string root, string path, bool allowed)
    {
        string rootDirectory = root[..root.LastIndexOfAny(['/', '\\'])];
        var validator = new ConfinedPathValidator(new PathPolicy
        {
            AllowedRoots = [rootDirectory],
            Rules = rules,
            CaseSensitive = caseSensitive,
            Symlinks = SymlinkHandling.BackendConfines,
        });

        Assert.That(validator.Validate(path).IsAllowed, Is.EqualTo(allowed));
    }

    [TestCase(PathRules.Posix, true)]
    [TestCase(PathRules.Windows, false)]
    public void IsCaseSensitive_WhenUnset_DefaultsPerRules(PathRules rules, bool expected)
    {
        var policy = new PathPolicy { AllowedRoots = ["/x"], Rules = rules };

        Assert.That(policy.IsCaseSensitive, Is.EqualTo(expected));
    }

    [Test]
    public void Validate_WindowsRootsOnTwoDrives_AdmitsBothAndRejectsThird()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = [@"C:\a", @"d:\b"], Rules = PathRules.Windows, Symlinks = SymlinkHandling.BackendConfines });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.Validate(@"D:\b\x").CanonicalPath, Is.EqualTo(@"D:\b\x"));
            Assert.That(validator.Validate(@"C:\a\x").IsAllowed, Is.True);
            Assert.That(validator.Validate(@"E:\b\x").Reason, Is.EqualTo(PathRejection.DriveChange));
            Assert.That(validator.Validate(@"D:\a\x").Reason, Is.EqualTo(PathRejection.OutsideRoots));
        }
    }

    [Test]
    public void Validate_CustomMaxPathLength_CountsCanonicalPathIncludingRoot()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], MaxPathLength = 12, Symlinks = SymlinkHandling.BackendConfines });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.Validate("/data/123456").IsAllowed, Is.True);
            Assert.That(validator.Validate("1234567").Reason, Is.EqualTo(PathRejection.TooLong));
        }
    }

    [Test]
    public void Validate_ManySegmentsBeyondStackBuffers_StillCanonicalizes()
    {
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = ["/data"], Symlinks = SymlinkHandling.BackendConfines });
        string path = "/data/" + string.Concat(Enumerable.Repeat("a/b/../", 400)) + "end";

        Assert.That(validator.Validate(path).CanonicalPath, Is.EqualTo("/data/" + string.Concat(Enumerable.Repeat("a/", 400)) + "end"));
    }
}
