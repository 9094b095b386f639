using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

public sealed class WindowsPathCorpusTests
{
    private static readonly ConfinedPathValidator Validator = new(new PathPolicy
    {
        AllowedRoots = [@"C:\repos", "C:/data/"],
        Rules = PathRules.Windows,
        Symlinks = SymlinkHandling.BackendConfines,
    });

    public static IEnumerable<TestCaseData> Attacks()
    {
        (PathRejection Reason, string[] Paths)[] groups =
        [
            (PathRejection.EscapesRoot,
            [
                @"..\windows\system32", "../windows", @"..\..\..\", @"a\..\..\x", @"C:\repos\..\windows", "C:/repos/../windows",
                @"C:\repos\..\..\x", @"C:\data\..\data\x", @"C:\..\x", "%2e%2e%5cwindows", "..%5c..%5cwindows", @"..\", "..",
                @"C:\repos\a\..\..\..\x", @"C:\repos/./..\x",
            ]),
            (PathRejection.OutsideRoots,
            [
                @"C:\windows\system32\config\sam", @"C:\", @"C:\repos-evil\x", @"C:\reposx", @"C:\data-evil", "C:/Windows/win.ini",
                @"C:\Users\Public", @"C:\repo",
            ]),
            (PathRejection.DriveChange,
            [
                @"D:\x", "d:/x", @"Z:\repos", "C:x", "C:", @"C:..\x", @"\windows\system32", "/windows", @"\repos\x", "%5cwindows",
                @"C:repos\x",
            ]),
            (PathRejection.UncPath,
            [
                @"\\server\share", "//server/share", @"\\server\share\x", @"\/server\share", @"/\server", @"\\localhost\c$\windows",
                @"\\127.0.0.1\c$", "%5c%5cserver%5cshare", @"\\..\x", "//?x",
            ]),
            (PathRejection.DevicePath,
            [
                @"\\?\C:\windows", @"\\.\C:\x", "//?/C:/windows", "//./pipe/x", @"\\.\pipe\x", @"\??\C:\windows", "/??/C:/x",
                @"\\?\UNC\server\share", @"\\.\PhysicalDrive0", @"\/?\C:\x", @"\\?", @"\\.", "%5c%5c%3f%5cC:%5cx",
            ]),
            (PathRejection.ReservedDeviceName,
            [
                "CON", "con", @"C:\repos\CON", @"C:\repos\nul.txt", @"C:\repos\NUL .txt", @"C:\repos\aux", @"C:\repos\prn.log",
                @"C:\repos\com1", @"C:\repos\COM9.txt", @"C:\repos\lpt1", @"C:\repos\LPT0", @"C:\repos\com0", @"C:\repos\COM¹",
                @"C:\repos\lpt².txt", @"C:\repos\COM³", @"C:\repos\con ", @"C:\repos\nul\x", @"C:\repos\CONIN$",
                @"C:\repos\conout$", "nul", @"C:\repos\con.tar.gz", @"C:\repos\aux:x", "C:/repos/sub/Lpt9.md",
            ]),
            (PathRejection.AlternateDataStream,
            [
                @"C:\repos\file.txt:stream", @"C:\repos\file.txt::$DATA", @"C:\repos\x::$INDEX_ALLOCATION",
                @"C:\repos\dir:$I30:$INDEX_ALLOCATION", @"C:\repos\a:b\c", @"C:\repos\file.txt%3a%3a$DATA",
            ]),
            (PathRejection.UriScheme,
            [
                "file:///C:/Windows/win.ini", "FILE:C:\\x", "file:%2F%2Fserver%2Fshare", "http://x/y", "jar:file:C:/x.jar!/y",
                "file.txt:hidden", "ab:c", " file:///C:/x",
            ]),
            (PathRejection.TrailingDotOrSpace,
            [
                @"C:\repos\file.txt.", @"C:\repos\file.txt ", @"C:\repos\dir.\x", @"C:\repos\...", @"C:\repos\.. \x",
                @"C:\repos\. \x", @"C:\repos\x. . .", "%2e%2e%20", @"C:\repos\a .",
            ]),
            (PathRejection.InvalidCharacter,
            [
                @"C:\repos\a<b", @"C:\repos\a>b", @"C:\repos\a|b", @"C:\repos\a?b", @"C:\repos\*.cs", "C:\\repos\\a\"b",
                "C:\\repos\\\uff0e\uff0e\\x", "C:\\repos\\a\uff3cb", "C:\\repos\\a\uff1a$DATA",
            ]),
            (PathRejection.ControlCharacter, ["C:\\repos\\a\0", "C:\\repos\\a\u0001", "C:\\repos\\a%00.txt"]),
            (PathRejection.StillEncoded, ["%255c%255cserver", "%252e%252e%255c"]),
            (PathRejection.InvalidPercentEncoding, [@"C:\repos\%", "%c0%af", @"C:\repos\%u2215"]),
        ];
        return groups.SelectMany(g => g.Paths.Select(p => new TestCaseData(p, g.Reason)));
    }

    public static IEnumerable<TestCaseData> BenignLookalikes()
    {
        (string Input, string Canonical)[] cases =
        [
            (@"C:\repos\console.txt", @"C:\repos\console.txt"),
            (@"C:\repos\CONTRIBUTING.md", @"C:\repos\CONTRIBUTING.md"),
            (@"C:\repos\nul-free.txt", @"C:\repos\nul-free.txt"),
            (@"C:\repos\connect", @"C:\repos\connect"),
            (@"C:\repos\com10", @"C:\repos\com10"),
            (@"C:\repos\lpt", @"C:\repos\lpt"),
            (@"C:\repos\auxiliary", @"C:\repos\auxiliary"),
            (@"C:\repos\conin", @"C:\repos\conin"),
            (@"C:\repos\x.con", @"C:\repos\x.con"),
            (@"C:\repos\..foo", @"C:\repos\..foo"),
            (@"C:\repos\a..b", @"C:\repos\a..b"),
            (@"C:\repos\.hidden", @"C:\repos\.hidden"),
            (@"C:\repos\.gitignore", @"C:\repos\.gitignore"),
            ("C:/repos/src/main.cs", @"C:\repos\src\main.cs"),
            (@"c:\repos\x", @"C:\repos\x"),
            (@"C:\REPOS\X", @"C:\REPOS\X"),
            (@"C:\repos\\\x", @"C:\repos\x"),
            (@"C:\repos\a\..\b", @"C:\repos\b"),
            (@"C:\repos\x\.", @"C:\repos\x"),
            (@"src\main.cs", @"C:\repos\src\main.cs"),
            ("src/main.cs", @"C:\repos\src\main.cs"),
            (@".\src", @"C:\repos\src"),
            (@"C:\repos\my%20file.txt", @"C:\repos\my file.txt"),
            (@"C:\repos\%c3%a9t%c3%a9", @"C:\repos\été"),
            (@"C:\repos\日本語.txt", @"C:\repos\日本語.txt"),
            (@"C:\repos\naïve.txt", @"C:\repos\naïve.txt"),
            (@"C:\repos", @"C:\repos"),
            (@"C:\repos\", @"C:\repos"),
            (@"C:\data\x", @"C:\data\x"),
            (@"C:\repos\ leading-space", @"C:\repos\ leading-space"),
            (@"C:\repos\a b c.txt", @"C:\repos\a b c.txt"),
            (@"C:\repos\file.tar.gz", @"C:\repos\file.tar.gz"),
            (@"C:\repos\a;b'c", @"C:\repos\a;b'c"),
        ];
        return cases.Select(c => new TestCaseData(c.Input, c.Canonical));
    }

    [TestCaseSource(nameof(Attacks))]
    public void Validate_AttackSpelling_IsRejectedForTheRightReason(string path, PathRejection expected)
    {
        PathValidationResult result = Validator.Validate(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsAllowed, Is.False);
            Assert.That(result.Reason, Is.EqualTo(expected), result.Message);
            Assert.That(result.CanonicalPath, Is.Null);
            Assert.That(result.Message, Is.Not.Empty);
        }
    }

    [TestCaseSource(nameof(BenignLookalikes))]
    public void Validate_BenignLookalike_IsAllowedWithCanonicalPath(string path, string canonical)
    {
        PathValidationResult result = Validator.Validate(path);

        Assert.That(result, Is.EqualTo(new PathValidationResult(true, canonical, PathRejection.None, null)), result.Message);
    }
}
