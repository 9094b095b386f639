using System.Net;
using Gateway.Proxy.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Tests.Redis;

public sealed class RedisUrlTests
{
    [TestCase("redis://localhost", "localhost", 6379, 0, null, null, false)]
    [TestCase("redis://cache.internal:6380/3", "cache.internal", 6380, 3, null, null, false)]
    [TestCase("rediss://:s3cret@10.0.0.5:6390/1", "10.0.0.5", 6390, 1, null, "s3cret", true)]
    [TestCase("redis://alice:p%40ss%3Aword@host:1/0", "host", 1, 0, "alice", "p@ss:word", false)]
    [TestCase("redis://s3cret@host", "host", 6379, 0, null, "s3cret", false)]
    [TestCase("redis://[::1]:7000", "::1", 7000, 0, null, null, false)]
    public void Parse_ValidUrl_ExtractsEndpointCredentialsAndDatabase(
        string url, string host, int port, int database, string? user, string? password, bool tls)
    {
        var parsed = RedisUrl.Parse(url);

        Assert.That(parsed.Host, Is.EqualTo(host));
        Assert.That(parsed.Port, Is.EqualTo(port));
        Assert.That(parsed.Database, Is.EqualTo(database));
        Assert.That(parsed.User, Is.EqualTo(user));
        Assert.That(parsed.Password, Is.EqualTo(password));
        Assert.That(parsed.UseTls, Is.EqualTo(tls));
    }

    [TestCase("", "empty")]
    [TestCase("localhost:6379", "scheme")]
    [TestCase("http://:hunter2@host", "scheme must be 'redis' or 'rediss'")]
    [TestCase("redis://:hunter2@host/abc", "database number")]
    [TestCase("redis://:hunter2@host/99999999999", "too large")]
    [TestCase("redis://:hunter2@host/0?timeout=5", "query strings")]
    [TestCase("not a url :hunter2", "not an absolute URL")]
    public void Parse_InvalidUrl_ThrowsFormatExceptionNamingTheProblemWithoutThePassword(string url, string problem)
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse(url));

        Assert.That(error!.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
        Assert.That(error.Message, Does.Contain(RedisUrl.EnvironmentVariable));
    }

    [TestCase("redis://bob:hunter2@host:1/2", "redis://bob:***@host:1/2")]
    [TestCase("rediss://:hunter2@host", "rediss://:***@host:6379/0")]
    [TestCase("redis://host", "redis://host:6379/0")]
    [TestCase("redis://[::1]:7000", "redis://[::1]:7000/0")]
    public void ToString_NeverShowsThePassword(string url, string expected)
    {
        Assert.That(RedisUrl.Parse(url).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ToConfigurationOptions_CarriesEndpointCredentialsDatabaseAndTheGatewaysClientSettings()
    {
        var options = RedisUrl.Parse("rediss://alice:hunter2@cache.internal:6390/4")
            .ToConfigurationOptions(commandTimeout: TimeSpan.FromMilliseconds(800), connectTimeout: TimeSpan.FromMilliseconds(300));

        Assert.That(options.EndPoints.Single(), Is.EqualTo(new DnsEndPoint("cache.internal", 6390)));
        Assert.That(options.User, Is.EqualTo("alice"));
        Assert.That(options.Password, Is.EqualTo("hunter2"));
        Assert.That(options.DefaultDatabase, Is.EqualTo(4));
        Assert.That(options.Ssl, Is.True);
        Assert.That(options.SslHost, Is.EqualTo("cache.internal"), "the certificate is checked against the URL's host");
        Assert.That(options.AbortOnConnectFail, Is.False, "a replica starts (failing open) while Redis is down");
        Assert.That(options.BacklogPolicy, Is.SameAs(BacklogPolicy.FailFast), "no queueing for a dead Redis");
        Assert.That(options.AsyncTimeout, Is.EqualTo(800));
        Assert.That(options.ConnectTimeout, Is.EqualTo(300));
        Assert.That(options.HeartbeatInterval, Is.EqualTo(TimeSpan.FromMilliseconds(200)), "timeouts are noticed within a quarter of the budget");
        Assert.That(options.ToString(includePassword: false), Does.Not.Contain("hunter2"));
    }

    [Test]
    public void ToConfigurationOptions_PlainUrlAndIpAddress_NoTls()
    {
        var options = RedisUrl.Parse("redis://127.0.0.1:6379").ToConfigurationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.That(options.EndPoints.Single(), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 6379)));
        Assert.That(options.Ssl, Is.False);
        Assert.That(options.Password, Is.Null);
    }
}
