using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

[Platform(Exclude = "Win", Reason = "POSIX symlink semantics; Windows needs privileges to create links")]
public sealed class SymlinkConfinementTests
{
    private string _base = null!;
    private string _root = null!;
    private string _outside = null!;
    private string _secondRoot = null!;

    [SetUp]
    public void CreateTree()
    {
        _base = Directory.CreateTempSubdirectory("paths-").FullName;
        _root = Directory.CreateDirectory(Path.Combine(_base, "root")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
        _secondRoot = Directory.CreateDirectory(Path.Combine(_base, "second")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "inside.txt"), "ok");
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
        File.WriteAllText(Path.Combine(_secondRoot, "shared.txt"), "shared");
    }

    [TearDown]
    public void DeleteTree() => Directory.Delete(_base, recursive: true);

    [Test]
    public void Validate_DirectoryLinkPointingOutside_IsSymlinkEscape()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), "../outside");

        Assert.That(Validator().Validate(Path.Combine(_root, "escape", "secret.txt")).Reason, Is.EqualTo(PathRejection.SymlinkEscape));
    }

    [Test]
    public void Validate_RelativeInputThroughOutsideLink_IsSymlinkEscape()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);

        Assert.That(Validator().Validate("escape/secret.txt").Reason, Is.EqualTo(PathRejection.SymlinkEscape));
    }

    [Test]
    public void Validate_FileLinkWithAbsoluteTargetOutside_IsSymlinkEscape()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "innocent.txt"), Path.Combine(_outside, "secret.txt"));

        Assert.That(Validator().Validate(Path.Combine(_root, "innocent.txt")).Reason, Is.EqualTo(PathRejection.SymlinkEscape));
    }

    [Test]
    public void Validate_DanglingLinkToOutside_IsSymlinkEscapeBecauseAWriteWouldCreateTheTarget()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "new.txt"), Path.Combine(_outside, "created-by-backend.txt"));

        Assert.That(Validator().Validate(Path.Combine(_root, "new.txt")).Reason, Is.EqualTo(PathRejection.SymlinkEscape));
    }

    [Test]
    public void Validate_LinkToParentThenBackInside_IsAllowedWithLexicalCanonicalPath()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "up"), "..");
        string path = Path.Combine(_root, "up", "root", "inside.txt");

        PathValidationResult result = Validator().Validate(path);

        Assert.That(result.CanonicalPath, Is.EqualTo(path), result.Message);
    }

    [Test]
    public void Validate_LinkToParentThenOutside_IsSymlinkEscape()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "up"), "..");

        Assert.That(Validator().Validate(Path.Combine(_root, "up", "outside", "secret.txt")).Reason, Is.EqualTo(PathRejection.SymlinkEscape));
    }

    [Test]
    public void Validate_ChainOfLinksStayingInside_IsAllowed()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "chain2"), "sub");
        Directory.CreateSymbolicLink(Path.Combine(_root, "chain1"), "chain2");

        Assert.That(Validator().Validate(Path.Combine(_root, "chain1", "x.txt")).IsAllowed, Is.True);
    }

    [Test]
    public void Validate_LinkIntoAnotherAllowedRoot_IsAllowed()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "other"), _secondRoot);

        Assert.That(Validator().Validate(Path.Combine(_root, "other", "shared.txt")).IsAllowed, Is.True);
    }

    [Test]
    public void Validate_MissingFileInsideRoot_IsAllowed()
    {
        Assert.That(Validator().Validate(Path.Combine(_root, "sub", "not-yet", "created.txt")).IsAllowed, Is.True);
    }

    [Test]
    public void Validate_NameBelowARegularFile_IsDecidedWithoutThrowing()
    {
        PathValidationResult result = Validator().Validate(Path.Combine(_root, "inside.txt", "below"));

        Assert.That(result.Reason, Is.AnyOf(PathRejection.None, PathRejection.SymlinkUnverifiable));
    }

    [TestCase("loop-a")]
    [TestCase("self")]
    public void Validate_LinkLoop_IsRejectedAndFinishes(string entry)
    {
        File.CreateSymbolicLink(Path.Combine(_root, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-b"), "loop-a");
        File.CreateSymbolicLink(Path.Combine(_root, "self"), "self");
        ConfinedPathValidator validator = Validator();

        var validation = Task.Run(() => validator.Validate(Path.Combine(_root, entry, "x")));

        Assert.That(validation.Wait(TimeSpan.FromSeconds(30)), Is.True, "validation did not finish");
        Assert.That(validation.Result.Reason, Is.EqualTo(PathRejection.SymlinkLoop));
    }

    [Test]
    public void Validate_RootConfiguredThroughALink_ComparesResolvedLocations()
    {
        string rootLink = Path.Combine(_base, "root-link");
        Directory.CreateSymbolicLink(rootLink, _root);
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = [rootLink] });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.Validate(Path.Combine(rootLink, "inside.txt")).IsAllowed, Is.True);
            Assert.That(validator.Validate(Path.Combine(rootLink, "escape", "secret.txt")).Reason, Is.EqualTo(PathRejection.SymlinkEscape));
        }
    }

    [Test]
    public void Validate_SymlinkResolutionOff_OnlyChecksLexically()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        var validator = new ConfinedPathValidator(new PathPolicy { AllowedRoots = [_root], Symlinks = SymlinkHandling.BackendConfines });

        Assert.That(validator.Validate(Path.Combine(_root, "escape", "secret.txt")).IsAllowed, Is.True);
    }

    [Test]
    public void Validate_EscapeMessage_DoesNotRevealTheLinkTarget()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);

        Assert.That(Validator().Validate("escape/secret.txt").Message, Does.Not.Contain(_outside));
    }

    private ConfinedPathValidator Validator() => new(new PathPolicy { AllowedRoots = [_root, _secondRoot] });
}
