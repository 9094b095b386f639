using Gateway.Proxy.Security.Keys;

namespace Gateway.Tests.Security.Keys;

public sealed class ApiKeyFormatTests
{
    [Test]
    public void Generate_ProducesPrefixedKeyWhoseIdParsesBack()
    {
        var (id, key) = ApiKeyFormat.Generate();

        Assert.That(key, Does.StartWith("mcpgw_" + id + "_"));
        Assert.That(key, Has.Length.EqualTo(ApiKeyFormat.KeyLength));
        Assert.That(ApiKeyFormat.TryGetId(key, out var parsed), Is.True);
        Assert.That(parsed.ToString(), Is.EqualTo(id));
    }

    [Test]
    public void Generate_NeverRepeats()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyFormat.Generate().Key).ToHashSet();

        Assert.That(keys, Has.Count.EqualTo(1000));
    }

    [Test]
    public void Hash_IsSha256HexAndDiffersPerKey()
    {
        var (_, first) = ApiKeyFormat.Generate();
        var (_, second) = ApiKeyFormat.Generate();

        var hash = ApiKeyFormat.Hash(first);

        Assert.That(hash, Does.StartWith("sha256:").And.Length.EqualTo(7 + 64));
        Assert.That(hash, Does.Not.Contain(first[^20..]));
        Assert.That(ApiKeyFormat.Hash(first), Is.EqualTo(hash));
        Assert.That(ApiKeyFormat.Hash(second), Is.Not.EqualTo(hash));
        Assert.That(ApiKeyFormat.TryDecodeHash(hash, out var bytes), Is.True);
        Assert.That(bytes, Has.Length.EqualTo(32));
    }

    [TestCase("")]
    [TestCase("mcpgw_")]
    [TestCase("sk_live_0123456789abcdef")]
    [TestCase("mcpgw_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("mcpgw_0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("mcpgw_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("mcpgw_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    public void TryGetId_NotAKey_IsFalse(string candidate)
    {
        Assert.That(ApiKeyFormat.TryGetId(candidate, out _), Is.False);
    }

    [TestCase("sha256:abc")]
    [TestCase("md5:0123456789abcdef0123456789abcdef")]
    [TestCase("sha256:zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void TryDecodeHash_Malformed_IsFalse(string stored)
    {
        Assert.That(ApiKeyFormat.TryDecodeHash(stored, out _), Is.False);
    }
}
