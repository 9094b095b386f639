using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Observability.Audit;

namespace Gateway.Tests.Observability.Audit;

public sealed class AuditHashingTests
{
    [Test]
    public void HashArguments_IsSha256OfSortedCompactJson()
    {
        const string canonical = """{"a":1,"b":[true,null,"x"],"c":{"d":"e","f":2.50}}""";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        var hash = Hash("""
            { "c": { "f": 2.50, "d": "e" },
              "b": [ true, null, "x" ],
              "a": 1 }
            """);

        Assert.That(hash, Is.EqualTo(expected));
    }

    [TestCase("""{"a":1,"b":2}""", """{"b":2,"a":1}""")]
    [TestCase("""{"a":"x"}""", """{ "\u0061" : "\u0078" }""")]
    [TestCase("""[{"z":0,"y":{"b":1,"a":2}}]""", """[ { "y": { "a": 2, "b": 1 }, "z": 0 } ]""")]
    public void HashArguments_EquivalentJson_HashesAlike(string left, string right)
    {
        Assert.That(Hash(left), Is.EqualTo(Hash(right)));
    }

    [TestCase("""{"a":1}""", """{"a":2}""")]
    [TestCase("""{"a":1}""", """{"A":1}""")]
    [TestCase("""[1,2]""", """[2,1]""")]
    [TestCase("""{"a":"1"}""", """{"a":1}""")]
    public void HashArguments_DifferentJson_HashesDifferently(string left, string right)
    {
        Assert.That(Hash(left), Is.Not.EqualTo(Hash(right)));
    }

    [Test]
    public void HashArguments_UndefinedElement_HashesLikeNull()
    {
        Assert.That(AuditHashing.HashArguments(default), Is.EqualTo(Hash("null")));
    }

    [Test]
    public void HashArguments_IsLowerCaseHexOf32Bytes()
    {
        Assert.That(Hash("{}"), Does.Match("^[0-9a-f]{64}$"));
    }

    private static string Hash(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AuditHashing.HashArguments(document.RootElement);
    }
}
