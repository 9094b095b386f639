using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

public sealed class PosixPathCorpusTests
{
    private static readonly ConfinedPathValidator Validator = new(new PathPolicy
    {
        AllowedRoots = ["/srv/repos", "/data"],
        Symlinks = SymlinkHandling.BackendConfines,
    });

    private static readonly string LongName = new('a', 256);
    private static readonly string ManySegments = "/data/" + string.Concat(Enumerable.Repeat("abcdefgh/", 500));

    public static IEnumerable<TestCaseData> Attacks()
    {
        foreach (string path in (string[])
                 [
                     "../etc/passwd", "../../../../etc/passwd", "..", "../", "./../x", "a/../../x", "a/b/../../../x",
                     "src/../../x", "%2e%2e/etc/passwd", "%2E%2E%2Fetc%2Fpasswd", "..%2fetc", "%2e%2e%2f%2e%2e%2fetc",
                     ".%2e/x", "%2e./x", "%2e%2e", "..%2F..%2F..%2Fetc%2Fpasswd", "/srv/repos/../etc",
                     "/srv/repos/../../etc/passwd", "/data/../etc/shadow", "/data/x/../../etc", "//srv//repos//..//..//etc",
                     "/srv/repos/./../repos-evil", "/data/../data/x", "/../etc/passwd", "/..", "/srv/repos/a/./../../b",
                     "/srv/repos%2F..%2F..%2Fetc",
                 ])
        {
            yield return Case(path, PathRejection.EscapesRoot);
        }

        foreach (string path in (string[])
                 [
                     "/etc/passwd", "/", "/srv", "/srv/repos-evil/x", "/srv/reposx", "/data-evil", "/data-evil/x", "/dat",
                     "/datax/y", "/DATA/x", "/Srv/Repos/x", "/proc/self/environ", "/root/.ssh/id_rsa", "//etc/passwd",
                     "/%65tc/passwd", "%2Fetc%2Fpasswd", "/var/run/docker.sock", @"/srv/repos\..\..\etc", "/data\\x",
                 ])
        {
            yield return Case(path, PathRejection.OutsideRoots);
        }

        foreach (string path in (string[])
                 ["%252e%252e/etc", "%252e%252e%252fetc", "/data/%2525", "..%252f..%252fetc", "%25%32%65", "/data/%252F", "/data/%2541"])
        {
            yield return Case(path, PathRejection.StillEncoded);
        }

        foreach (string path in (string[])
                 [
                     "/data/%", "/data/%2", "/data/%zz", "/data/%g0", "/data/%u002e%u002e", "/data/100%", "%c0%ae%c0%ae/etc",
                     "%c0%af", "%e0%80%ae", "/data/%ff", "/data/%80", "/data/%ed%a0%80", "/data/%f8%88%80%80%80",
                 ])
        {
            yield return Case(path, PathRejection.InvalidPercentEncoding);
        }

        foreach (string path in (string[])
                 [
                     "/data/a\0b", "/data/x\0.txt", "../etc/passwd\0.png", "/data/%00", "/data/a%0a", "/data/a\r\nb",
                     "/data/\tx", "/data/a\u007f", "/data/a\u0085", "/data/%c2%85", "/data/a\u009b", "/data/\u001b[31m", "/data/%0d%0a",
                 ])
        {
            yield return Case(path, PathRejection.ControlCharacter);
        }

        foreach (string path in (string[])
                 [
                     "/data/\uff0e\uff0e/x", "\uff0e\uff0e\uff0fetc", "/data/a\u2215b", "/data/\u202egnp.exe", "/data/a\ud800",
                     "/data/%ef%bc%8e%ef%bc%8e", "/data/a\u2044b", "/data/\u2024\u2024", "/data/a\udc00b",
                 ])
        {
            yield return Case(path, PathRejection.InvalidCharacter);
        }

        foreach (string path in (string[])
                 [
                     "file:///etc/passwd", "FILE:/etc/passwd", "file:/etc/passwd", "File://localhost/etc/passwd", "file:etc/passwd",
                     "file:%2F%2Fetc%2Fpasswd", "file%3A%2F%2F%2Fetc%2Fpasswd", "%66ile:///etc/passwd", "file:", "file:.",
                     "http://169.254.169.254/latest/meta-data", "https://evil.example/x", "HTTP://x", "ftp://x/y", "smb://host/share",
                     "jar:file:/srv/repos/x.jar!/etc/passwd", "jar:http://x/y.jar!/", "zip:/tmp/x.zip", "netdoc:/etc/passwd",
                     "gopher://x:70/_", "dict://x:11211/", "ldap://x/", "data:text/plain,x", "javascript:alert(1)",
                     "php://filter/resource=/etc/passwd", "expect://id", "vnd.example+x-y:z", "a:b", "notes:2024.txt", "C:/Windows/win.ini",
                     "c:\\windows\\win.ini", "C:", "C:x", " file:///etc/passwd", "  http://x/",
                 ])
        {
            yield return Case(path, PathRejection.UriScheme);
        }

        foreach (string path in (string[])[@"\\server\share\x", @"\\localhost\c$\windows"])
        {
            yield return Case(path, PathRejection.UncPath);
        }

        foreach (string path in (string[])[@"\\?\C:\Windows\win.ini", @"\\.\pipe\x", @"\??\C:\x", @"\\?\UNC\server\share", "%5C%5C%3F%5CC:%5Cx"])
        {
            yield return Case(path, PathRejection.DevicePath);
        }

        foreach (string path in (string[])["", " ", "   ", "%20", "\t", "%20%20"])
        {
            yield return Case(path, PathRejection.Empty);
        }

        yield return Case("/data/" + LongName, PathRejection.TooLong);
        yield return Case(ManySegments, PathRejection.TooLong);
        yield return Case(new string('%', 20_000), PathRejection.TooLong);
    }

    public static IEnumerable<TestCaseData> BenignLookalikes()
    {
        (string Input, string Canonical)[] cases =
        [
            ("/data/..foo", "/data/..foo"),
            ("/data/a..b", "/data/a..b"),
            ("/data/.hidden", "/data/.hidden"),
            ("/data/...", "/data/..."),
            ("/data/foo..", "/data/foo.."),
            ("/data/..a/..b", "/data/..a/..b"),
            ("/data/console.txt", "/data/console.txt"),
            ("/data/con", "/data/con"),
            ("/data/nul.txt", "/data/nul.txt"),
            ("/data/COM1", "/data/COM1"),
            ("/data/file:with:colons", "/data/file:with:colons"),
            ("./a:b", "/srv/repos/a:b"),
            ("src/a:b", "/srv/repos/src/a:b"),
            ("./http://x", "/srv/repos/http:/x"),
            ("/data/file:///etc/passwd", "/data/file:/etc/passwd"),
            ("1abc:x", "/srv/repos/1abc:x"),
            ("_a:b", "/srv/repos/_a:b"),
            ("a_b:c", "/srv/repos/a_b:c"),
            ("/data/a\\?\\b", "/data/a\\?\\b"),
            ("/data/trailing. ", "/data/trailing. "),
            ("/data/my%20file.txt", "/data/my file.txt"),
            ("/data/a%2Bb", "/data/a+b"),
            ("/data/a+b", "/data/a+b"),
            ("/data/50%25off", "/data/50%off"),
            ("/data/%7Euser", "/data/~user"),
            ("/data/%2ehidden", "/data/.hidden"),
            ("/data/%2e%2e-not-dots", "/data/..-not-dots"),
            ("/data/%E6%97%A5%E6%9C%AC.txt", "/data/日本.txt"),
            ("/data/日本語/ファイル.md", "/data/日本語/ファイル.md"),
            ("/data/naïve café.txt", "/data/naïve café.txt"),
            ("/data/emoji-😀.png", "/data/emoji-😀.png"),
            ("/data/a\\b", "/data/a\\b"),
            ("/data", "/data"),
            ("/data/", "/data"),
            ("//data//x", "/data/x"),
            ("/data/./x", "/data/x"),
            ("/data/a/../b", "/data/b"),
            ("/data/a/b/..", "/data/a"),
            ("/data/x/y/z/../../w", "/data/x/w"),
            ("/etc/../data/x", "/data/x"),
            ("src/main.cs", "/srv/repos/src/main.cs"),
            ("./src", "/srv/repos/src"),
            ("src/../README.md", "/srv/repos/README.md"),
            (".", "/srv/repos"),
            ("~/x", "/srv/repos/~/x"),
            ("/srv/repos/x", "/srv/repos/x"),
            ("/data/-rf", "/data/-rf"),
            ("/data/ leading space", "/data/ leading space"),
            ("/data/$HOME", "/data/$HOME"),
            ("/data/a;b'c\"d", "/data/a;b'c\"d"),
            ("/data/*.cs", "/data/*.cs"),
            ("/data/" + new string('a', 255), "/data/" + new string('a', 255)),
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

    private static TestCaseData Case(string path, PathRejection reason) => new(path, reason);
}
