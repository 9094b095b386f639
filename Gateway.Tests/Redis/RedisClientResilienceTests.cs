using System.Diagnostics;
using Gateway.Redis;

namespace Gateway.Tests.Redis;

/// <summary>Authentication, server restarts and TLS, each against its own server process.</summary>
public sealed class RedisClientResilienceTests
{
    private const string Password = "correct horse battery staple";

    [TestCase(RedisServerKind.Garnet)]
    [TestCase(RedisServerKind.Redis)]
    public async Task Auth_PasswordInUrl_Authenticates(RedisServerKind kind)
    {
        await using var server = await RedisServerFixture.StartAsync(kind, new RedisServerSettings(Password));
        await using var client = server.CreateClient();

        var pong = await client.ExecuteAsync("PING", default);

        Assert.That(pong.AsString(), Is.EqualTo("PONG"));
    }

    [TestCase(RedisServerKind.Garnet)]
    [TestCase(RedisServerKind.Redis)]
    public async Task Auth_WrongPassword_FailsWithConnectionErrorThatHidesThePassword(RedisServerKind kind)
    {
        await using var server = await RedisServerFixture.StartAsync(kind, new RedisServerSettings(Password));
        await using var client = server.CreateClient(o => o with { Password = "hunter2-wrong" });

        var failure = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.PingAsync());

        Assert.That(failure!.Message, Does.Contain("rejected the connection handshake"));
        Assert.That(failure.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Auth_AclUserAndPassword_Authenticates()
    {
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Password));
        await using (var admin = server.CreateClient())
        {
            await admin.ExecuteAsync("ACL", new RedisArg[] { "SETUSER", "alice", "on", ">alice-pw", "~*", "+@all" });
        }

        await using var alice = server.CreateClient(o => o with { User = "alice", Password = "alice-pw" });
        var whoAmI = await alice.ExecuteAsync("ACL", new RedisArg[] { "WHOAMI" });

        Assert.That(whoAmI.AsString(), Is.EqualTo("alice"));
    }

    [TestCase(RedisServerKind.Garnet)]
    [TestCase(RedisServerKind.Redis)]
    public async Task ServerKilledAndRestarted_FailsFastWhileDownThenReconnects(RedisServerKind kind)
    {
        await using var server = await RedisServerFixture.StartAsync(kind);
        await using var client = server.CreateClient(o => o with
        {
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        });
        await client.PingAsync();

        await server.StopAsync();
        var whileDown = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync(Is.InstanceOf<RedisException>(), async () => await client.PingAsync());
        whileDown.Stop();
        await server.StartAsync();
        var recovered = await PingEventuallyAsync(client);

        Assert.That(failure, Is.InstanceOf<RedisConnectionException>());
        Assert.That(whileDown.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "a dead server costs a fast failure, not a wait");
        Assert.That(recovered, Is.True, "the client reconnects on its own once the server is back");
        Assert.That(client.ConnectAttempts, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Tls_ServerCertificateSignedBySuppliedCa_Connects()
    {
        using var certificates = TemporaryCertificates.Create();
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Tls: certificates.Files));
        await using var client = server.CreateClient(o => o with { TlsCaCertificatePath = certificates.Files.CaCertificatePath });

        var echo = await client.ExecuteAsync("ECHO", new RedisArg[] { "over tls" });

        Assert.That(echo.AsString(), Is.EqualTo("over tls"));
    }

    [Test]
    public async Task Tls_UntrustedServerCertificate_FailsWithClearError()
    {
        using var certificates = TemporaryCertificates.Create();
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Tls: certificates.Files));
        await using var client = server.CreateClient();

        var failure = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.PingAsync());

        Assert.That(failure!.Message, Does.Contain("TLS handshake"));
    }

    [Test]
    public async Task Tls_CustomValidationCallback_DecidesTrust()
    {
        using var certificates = TemporaryCertificates.Create();
        await using var server = await RedisServerFixture.StartAsync(RedisServerKind.Redis, new RedisServerSettings(Tls: certificates.Files));
        var consulted = 0;
        await using var client = server.CreateClient(o => o with
        {
            TlsCertificateValidation = (_, certificate, _, _) =>
            {
                Interlocked.Increment(ref consulted);
                return certificate?.Subject == "CN=localhost";
            },
        });

        var pong = await client.ExecuteAsync("PING", default);

        Assert.That(pong.AsString(), Is.EqualTo("PONG"));
        Assert.That(consulted, Is.GreaterThan(0));
    }

    private static async Task<bool> PingEventuallyAsync(RedisClient client)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                await client.PingAsync();
                return true;
            }
            catch (RedisException)
            {
                await Task.Delay(50);
            }
        }

        return false;
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
