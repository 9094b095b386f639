using Gateway.Transforms.Validation.Paths;

namespace Gateway.Tests.Validation.Paths;

public sealed class PathSegmentEncoderTests
{
    [TestCase("/data/a b/c", PathRules.Posix, "/data/a%20b/c")]
    [TestCase("/data/50%off", PathRules.Posix, "/data/50%25off")]
    [TestCase("/data/a?b#c", PathRules.Posix, "/data/a%3Fb%23c")]
    [TestCase("/data/a\\b", PathRules.Posix, "/data/a%5Cb")]
    [TestCase("/data/日本", PathRules.Posix, "/data/%E6%97%A5%E6%9C%AC")]
    [TestCase("/", PathRules.Posix, "/")]
    [TestCase("relative/x", PathRules.Posix, "relative/x")]
    [TestCase(@"C:\data\a b", PathRules.Windows, "C%3A/data/a%20b")]
    public void EncodePathSegments_CanonicalPath_EncodesEachNameSeparately(string canonical, PathRules rules, string expected)
    {
        Assert.That(PathSegmentEncoder.EncodePathSegments(canonical, rules), Is.EqualTo(expected));
    }

    [TestCase("/data/../etc")]
    [TestCase("/data/./x")]
    public void EncodePathSegments_DotSegments_ThrowBecauseInputWasNotValidated(string path)
    {
        Assert.That(() => PathSegmentEncoder.EncodePathSegments(path), Throws.ArgumentException);
    }

    [TestCaseSource(typeof(PosixPathCorpusTests), nameof(PosixPathCorpusTests.BenignLookalikes))]
    public void EncodePathSegments_BenignCanonicalPaths_DecodeBackToTheSameNames(string input, string canonical)
    {
        string encoded = PathSegmentEncoder.EncodePathSegments(canonical);

        string[] decoded = encoded.Split('/').Select(Uri.UnescapeDataString).ToArray();

        Assert.That(decoded, Is.EqualTo(canonical.Split('/')));
    }
}
