using Gateway.Proxy.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Tests.Redis;

/// <summary>
/// The client settings a <c>RedisUrl</c> becomes (<see cref="RedisUrl.ToConfigurationOptions"/>) against real servers:
/// password, ACL user, TLS; each against its own server process.
/// </summary>
public sealed class RedisUrlConnectionTests
{
    private const string Password = "correct horse battery staple";

    [TestCase(RedisServerKind.Garnet)]
    [TestCase(RedisServerKind.Redis)]
    public async Task Auth_PasswordInUrl_Authenticates(RedisServerKind kind)
    {
        await using var server = await RedisServerFixture.StartAsync(kind, new RedisServerSettings(Password));
        await using var redis = await ConnectAsync(server.Url);

        var pong = await redis.GetDatabase().ExecuteAsync("PING");

        Assert.That((string?)pong, Is.EqualTo("PONG"));
    }

    [TestCase(RedisServerKind.Garnet)]
    [TestCase(RedisServerKind.Redis)]
    public async Task Auth_WrongPassword_FailsFastWithConnectionErrorThatHidesThePassword(RedisServerKind kind)
    {
        await using var server = await RedisServerFixture.StartAsync(kind, new RedisServerSettings(Password));
        await using var redis = await ConnectAsync($"redis://:hunter2-wrong@127.0.0.1:{server.Port}");

        var failure = await Assert.ThrowsAsync<RedisConnectionException>(async () => await redis.GetDatabase().PingAsync());

        Assert.That(failure!.Message, Does.Not.Contain("hunter2"));
        Assert.That(redis.IsConnected, Is.False);
    }

    [Test]
    public async Task Auth_AclUserAndPassword_Authenticates()
    {
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Password));
        await using (var admin = await server.ConnectAdminAsync())
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "alice", "on", ">alice-pw", "~*", "+@all");
        }

        await using var alice = await ConnectAsync($"redis://alice:alice-pw@127.0.0.1:{server.Port}");
        var whoAmI = await alice.GetDatabase().ExecuteAsync("ACL", "WHOAMI");

        Assert.That((string?)whoAmI, Is.EqualTo("alice"));
    }

    [Test]
    public async Task Database_InUrl_IsTheOneCommandsUse()
    {
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis);
        await using var redis = await ConnectAsync($"redis://127.0.0.1:{server.Port}/3");
        await redis.GetDatabase().StringSetAsync("in-db-3", "yes");

        await using var admin = await server.ConnectAdminAsync();

        Assert.That((string?)await admin.GetDatabase(3).StringGetAsync("in-db-3"), Is.EqualTo("yes"));
        Assert.That((string?)await admin.GetDatabase(0).StringGetAsync("in-db-3"), Is.Null);
    }

    [Test]
    public async Task Tls_ServerCertificateSignedByTrustedCa_Connects()
    {
        using var certificates = TemporaryCertificates.Create();
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Tls: certificates.Files));
        await using var redis = await ConnectAsync(server.Url, o => o.TrustIssuer(certificates.Files.CaCertificatePath));

        var echo = await redis.GetDatabase().ExecuteAsync("ECHO", "over tls");

        Assert.That(server.Url, Does.StartWith("rediss://"));
        Assert.That((string?)echo, Is.EqualTo("over tls"));
    }

    [Test]
    public async Task Tls_UntrustedServerCertificate_IsRefused()
    {
        using var certificates = TemporaryCertificates.Create();
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Tls: certificates.Files));
        await using var redis = await ConnectAsync(server.Url);

        Assert.That(async () => await redis.GetDatabase().PingAsync(), Throws.InstanceOf<RedisConnectionException>());
        Assert.That(redis.IsConnected, Is.False);
    }

    [Test]
    public async Task Tls_ValidationCallback_SeesTheUrlsHost()
    {
        using var certificates = TemporaryCertificates.Create();
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Tls: certificates.Files));
        var consulted = 0;
        await using var redis = await ConnectAsync(server.Url, o => o.CertificateValidation += (_, certificate, _, errors) =>
        {
            Interlocked.Increment(ref consulted);

            // The CA is not in the system store (chain error), but the name must match the URL's host (127.0.0.1).
            return certificate?.Subject == "CN=localhost" && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        });

        var pong = await redis.GetDatabase().PingAsync();

        Assert.That(pong, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(consulted, Is.GreaterThan(0));
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(string url, Action<ConfigurationOptions>? configure = null)
    {
        var options = RedisUrl.Parse(url).ToConfigurationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        configure?.Invoke(options);
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    private sealed class TemporaryCertificates : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("redis-tls-");

        private TemporaryCertificates() => Files = TestCertificateFiles.Create(_directory.FullName);

        public TestCertificateFiles Files { get; }

        public static TemporaryCertificates Create() => new();

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
