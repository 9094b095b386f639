using Gateway.Redis;

namespace Gateway.Tests.Redis;

public sealed class RedisConnectionOptionsTests
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
        var options = RedisConnectionOptions.Parse(url);

        Assert.That(options.Host, Is.EqualTo(host));
        Assert.That(options.Port, Is.EqualTo(port));
        Assert.That(options.Database, Is.EqualTo(database));
        Assert.That(options.User, Is.EqualTo(user));
        Assert.That(options.Password, Is.EqualTo(password));
        Assert.That(options.UseTls, Is.EqualTo(tls));
    }

    [Test]
    public void Parse_Defaults_MatchTheGatewayBudget()
    {
        var options = RedisConnectionOptions.Parse("redis://h");

        Assert.That(options.CommandTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
        Assert.That(options.ConnectTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(options.PoolSize, Is.EqualTo(2));
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
        var error = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse(url));

        Assert.That(error!.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
        Assert.That(error.Message, Does.Contain(RedisConnectionOptions.UrlEnvironmentVariable));
    }

    [TestCase("redis://bob:hunter2@host:1/2", "redis://bob:***@host:1/2")]
    [TestCase("rediss://:hunter2@host", "rediss://:***@host:6379/0")]
    [TestCase("redis://host", "redis://host:6379/0")]
    public void ToString_NeverShowsThePassword(string url, string expected)
    {
        var options = RedisConnectionOptions.Parse(url) with { CommandTimeout = TimeSpan.FromSeconds(1) };

        Assert.That(options.ToString(), Is.EqualTo(expected));
    }
}
