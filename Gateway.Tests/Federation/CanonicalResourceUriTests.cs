using Gateway.Transforms.Federation;

namespace Gateway.Tests.Federation;

/// <summary>The canonical form resource lists are matched on (RFC 3986 section 6.2.2), and URI template entries matching the URIs they expand to.</summary>
public sealed class CanonicalResourceUriTests
{
    [TestCase("file:///public/../secret", "file:///secret")]
    [TestCase("file:///public/%2e%2E/secret", "file:///secret")]
    [TestCase("file:///a/./b/../../c/.", "file:///c/")]
    [TestCase("file:///../../etc/passwd", "file:///etc/passwd")]
    [TestCase("TEST://Doc.Example/Readme", "test://doc.example/Readme")]
    [TestCase("test://doc/%7e%41%2f%3a", "test://doc/~A%2F%3A")]
    [TestCase("test://doc/a b\\c", "test://doc/a%20b%5Cc")]
    [TestCase("test://doc/caf\u00e9", "test://doc/caf%C3%A9")]
    [TestCase("test://watched-resource", "test://watched-resource")]
    [TestCase("urn:isbn:0451450523", "urn:isbn:0451450523")]
    [TestCase("test://doc/x?q=../a#frag/../b", "test://doc/x?q=../a#frag/../b")]
    public void Canonicalize_Normalizes_SchemeHostEscapesAndDotSegments(string uri, string expected)
    {
        var ok = CanonicalResourceUri.TryCanonicalize(uri, template: false, out var canonical, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error);
            Assert.That(canonical, Is.EqualTo(expected));
        });
    }

    [TestCase("docs/readme", "not an absolute URI")]
    [TestCase("test://doc/%zz", "'%' not followed by two hex digits")]
    [TestCase("test://doc/\u0001", "control character")]
    [TestCase("file:///public%2F..%2Fsecret", "encoded '/' or '\\'")]
    [TestCase("file:///public%5C..%5Csecret", "encoded '/' or '\\'")]
    public void Canonicalize_RefusesWhatHasNoSafeCanonicalForm(string uri, string reason)
    {
        var ok = CanonicalResourceUri.TryCanonicalize(uri, template: false, out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Does.Contain(reason));
        });
    }

    [TestCase("test://doc/{id}", "test://doc/7", true)]
    [TestCase("test://doc/{id}", "test://doc/a/b", false)]
    [TestCase("test://doc/{+path}", "test://doc/a/b", true)]
    [TestCase("test://doc{/seg}", "test://doc/a", true)]
    [TestCase("test://doc/{id}.txt", "test://doc/x.txt", true)]
    [TestCase("test://doc/{id}.txt", "test://doc/x.md", false)]
    [TestCase("test://doc/{id}{?q}", "test://doc/x?q=1", true)]
    [TestCase("file:///secret*", "file:///secret/key", true)]
    [TestCase("file:///secret*", "file:///public", false)]
    [TestCase("*", "anything:at-all", true)]
    public void Pattern_MatchesTheUrisItNamesOrExpandsTo(string entry, string uri, bool matches)
    {
        Assert.That(ResourceUriPattern.TryParse(entry, out var pattern, out var error), Is.True, error);

        Assert.That(pattern!.MatchesUri(uri), Is.EqualTo(matches));
    }
}
