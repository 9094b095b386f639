using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authentication;
using Gateway.Tests.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Security.Authentication;

/// <summary>The signing-key cache against a counting JWKS server, on a manual clock so throttling is deterministic.</summary>
public sealed class JwksKeyStoreTests
{
    private static readonly TimeSpan s_refreshInterval = TimeSpan.FromMinutes(1);

    private TestSigningKey _first = null!;
    private TestSigningKey _second = null!;
    private TestIdentityProvider _idp = null!;
    private ManualTimeProvider _time = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _first = TestSigningKey.Rsa("first");
        _second = TestSigningKey.EllipticCurve("second");
        _idp = await TestIdentityProvider.StartAsync(_first);
        _time = new ManualTimeProvider(DateTimeOffset.UtcNow);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _services.DisposeAsync();
        await _idp.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
    }

    [Test]
    public async Task FirstUse_FetchesTheKeys()
    {
        var store = CreateStore();

        Assert.That(await store.EnsureKeyAsync("first", CancellationToken.None), Is.True);
        Assert.That(_idp.JwksRequests, Is.EqualTo(1));
        Assert.That(store.Resolve("first").Single().KeyId, Is.EqualTo("first"));
    }

    [Test]
    public async Task KnownKid_DoesNotFetchAgain()
    {
        var store = CreateStore();
        await store.EnsureKeyAsync("first", CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            Assert.That(await store.EnsureKeyAsync("first", CancellationToken.None), Is.True);
        }

        Assert.That(_idp.JwksRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task UnknownKid_AfterTheRefreshInterval_RefreshesAndFindsTheRotatedKey()
    {
        var store = CreateStore();
        await store.EnsureKeyAsync("first", CancellationToken.None);
        _idp.Publish(_second);
        _time.Advance(s_refreshInterval);

        Assert.That(await store.EnsureKeyAsync("second", CancellationToken.None), Is.True);
        Assert.That(_idp.JwksRequests, Is.EqualTo(2));
        Assert.That(store.Resolve("first"), Is.Empty, "the retired key is gone after the refresh");
    }

    [Test]
    public async Task UnknownKids_WithinTheRefreshInterval_DoNotReachTheIdp()
    {
        var store = CreateStore();
        await store.EnsureKeyAsync("first", CancellationToken.None);
        _idp.Publish(_second);
        _time.Advance(s_refreshInterval - TimeSpan.FromSeconds(1));

        for (var i = 0; i < 100; i++)
        {
            Assert.That(await store.EnsureKeyAsync("random-" + i, CancellationToken.None), Is.False);
        }

        Assert.That(await store.EnsureKeyAsync("second", CancellationToken.None), Is.False, "even a real new kid waits for the interval");
        Assert.That(_idp.JwksRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task FloodOfConcurrentUnknownKids_CostsOneFetchPerInterval()
    {
        var store = CreateStore();
        await store.EnsureKeyAsync("first", CancellationToken.None);
        _time.Advance(s_refreshInterval);

        var results = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => Task.Run(async () => await store.EnsureKeyAsync(Guid.NewGuid().ToString("N"), CancellationToken.None))));

        Assert.That(results, Has.All.False);
        Assert.That(_idp.JwksRequests, Is.EqualTo(2));

        _time.Advance(s_refreshInterval);
        await store.EnsureKeyAsync("yet-another", CancellationToken.None);
        Assert.That(_idp.JwksRequests, Is.EqualTo(3), "the next interval allows one more fetch");
    }

    [Test]
    public async Task WithoutJwksUrl_FindsTheKeysThroughTheDiscoveryDocument()
    {
        var store = CreateStore(jwksUrl: null);

        Assert.That(await store.EnsureKeyAsync("first", CancellationToken.None), Is.True);
        Assert.That(_idp.JwksRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task UnreachableIdp_KeepsThePreviousKeys()
    {
        var store = CreateStore();
        await store.EnsureKeyAsync("first", CancellationToken.None);
        await _idp.DisposeAsync();
        _time.Advance(s_refreshInterval);

        Assert.That(await store.EnsureKeyAsync("second", CancellationToken.None), Is.False);
        Assert.That(await store.EnsureKeyAsync("first", CancellationToken.None), Is.True);
        _idp = await TestIdentityProvider.StartAsync(_first);
    }

    private JwksKeyStore CreateStore(string? jwksUrl = "default")
    {
        var options = new SecurityOptions
        {
            Enabled = true,
            Oidc = new OidcOptions
            {
                Issuer = _idp.Issuer,
                JwksUrl = jwksUrl is null ? null : _idp.JwksUrl,
                RefreshInterval = s_refreshInterval,
            },
        };
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddHttpClient()
            .AddSingleton<GatewayMetrics>()
            .AddSingleton<SecurityEvents>()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(Options.Create(options))
            .AddSingleton<JwksKeyStore>()
            .BuildServiceProvider();
        return _services.GetRequiredService<JwksKeyStore>();
    }
}
