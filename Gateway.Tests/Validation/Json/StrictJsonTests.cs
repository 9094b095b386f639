using System.Text;
using Gateway.Transforms.Validation.Json;

namespace Gateway.Tests.Validation.Json;

public sealed class StrictJsonTests
{
    [TestCase("""{"query":"MATCH (n) DETACH DELETE n","query":"MATCH (n) RETURN n"}""", "$", "query")]
    [TestCase("""{"params":{"arguments":{"q":1,"q":2}}}""", "$.params.arguments", "q")]
    [TestCase("""{"a":[{"b":{"c":true,"c":false}}]}""", "$.a[0].b", "c")]
    [TestCase("""{"a":{"name":"x","n\u0061me":"y"}}""", "$.a", "name")]
    [TestCase("""{"we ird":{"k":1,"k":1}}""", "$[\"we ird\"]", "k")]
    [TestCase("""{"":1,"":2}""", "$", "")]
    public void TryParse_DuplicateKeyAtAnyDepth_IsRefusedNamingKeyAndPlace(string json, string path, string key)
    {
        var parsed = StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out var document, out var error);

        Assert.That(parsed, Is.False);
        Assert.That(document, Is.Null);
        Assert.That(error!.Kind, Is.EqualTo(StrictJsonErrorKind.DuplicateKey));
        Assert.That(error.Path, Is.EqualTo(path));
        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Message, Does.Contain($"'{key}'").And.Contain(path));
    }

    [TestCase("""{"a":"\ud800"}""", "$.a")]
    [TestCase("""{"a":"x\udc00y"}""", "$.a")]
    [TestCase("""{"a":["ok","\ud83d"]}""", "$.a[1]")]
    [TestCase("""{"a":{"\ud800":1}}""", "$.a")]
    [TestCase("""{"a":"\ud800\u0041"}""", "$.a")]
    public void TryParse_UnpairedSurrogateEscape_IsRefused(string json, string path)
    {
        var parsed = StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error);

        Assert.That(parsed, Is.False);
        Assert.That(error!.Kind, Is.EqualTo(StrictJsonErrorKind.InvalidString));
        Assert.That(error.Path, Is.EqualTo(path));
    }

    [TestCase(new byte[] { 0xFF })]
    [TestCase(new byte[] { 0xC3 })]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 })]
    public void TryParse_InvalidUtf8InsideAString_IsRefused(byte[] bad)
    {
        var json = Encoding.UTF8.GetBytes("""{"a":"x"}""").ToList();
        json.InsertRange(6, bad);

        var parsed = StrictJson.TryParse(json.ToArray(), out _, out var error);

        Assert.That(parsed, Is.False);
        Assert.That(error!.Kind, Is.EqualTo(StrictJsonErrorKind.InvalidString));
        Assert.That(error.Path, Is.EqualTo("$.a"));
    }

    [TestCase("""{"n":1e400}""")]
    [TestCase("""{"n":[-1e309]}""")]
    public void TryParse_NumberBeyondDouble_IsRefused(string json)
    {
        Assert.That(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error), Is.False);
        Assert.That(error!.Kind, Is.EqualTo(StrictJsonErrorKind.NumberOutOfRange));
    }

    [TestCase("", StrictJsonErrorKind.Empty)]
    [TestCase(" \r\n\t", StrictJsonErrorKind.Empty)]
    [TestCase("{", StrictJsonErrorKind.Syntax)]
    [TestCase("""{"a":1,}""", StrictJsonErrorKind.Syntax)]
    [TestCase("{} {}", StrictJsonErrorKind.Syntax)]
    public void TryParse_NotOneJsonValue_IsRefused(string json, StrictJsonErrorKind kind)
    {
        Assert.That(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error), Is.False);
        Assert.That(error!.Kind, Is.EqualTo(kind));
    }

    [Test]
    public void TryParse_NestingBeyondTheLimit_IsASyntaxErrorNamingTheDepth()
    {
        var json = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);

        Assert.That(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error), Is.False);
        Assert.That(error!.Message, Does.Contain("depth"));
    }

    [TestCase("""{"emoji":"\ud83d\ude00","raw":"é✓😀","n":123456789012345678901234567890,"x":-1.5e300,"deep":{"a":[{"b":null}]}}""")]
    [TestCase("""{"a":{"k":1},"b":{"k":2}}""")]
    [TestCase("[1,2,3]")]
    public void TryParse_WellFormedJson_IsAccepted(string json)
    {
        Assert.That(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out var document, out var error), Is.True, error?.Message);
        document!.Dispose();
    }

    [Test]
    public void TryParse_LongEscapedString_IsCheckedWithoutTruncation()
    {
        var json = "{\"a\":\"" + string.Concat(Enumerable.Repeat("\\u00e9", 1000)) + "\\ud800\"}";

        Assert.That(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error), Is.False);
        Assert.That(error!.Kind, Is.EqualTo(StrictJsonErrorKind.InvalidString));
    }
}
