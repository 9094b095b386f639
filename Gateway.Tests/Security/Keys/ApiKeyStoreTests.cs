using System.Runtime.InteropServices;
using Gateway.Proxy.Observability.Metrics;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Keys;
using Gateway.Tests.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Security.Keys;

/// <summary>The key file as the gateway sees it: constant-time checks, expiry and revocation, and reloads without restart.</summary>
public sealed class ApiKeyStoreTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private string _directory = null!;
    private ManualTimeProvider _time = null!;
    private ServiceProvider? _services;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _time = new ManualTimeProvider(s_now);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Verify_TheIssuedKey_IsValidWithItsRecord()
    {
        var key = await AddKeyAsync("apikeys.json", subject: "svc-ci");
        var store = await StartStoreAsync("apikeys.json");

        var verification = store.Verify(key);

        Assert.That(verification.Status, Is.EqualTo(ApiKeyStatus.Valid));
        Assert.That(verification.Key!.Subject, Is.EqualTo("svc-ci"));
    }

    [Test]
    public async Task Verify_RightIdWrongSecret_IsInvalidWithoutRevealingTheRecord()
    {
        var key = await AddKeyAsync("apikeys.json");
        var store = await StartStoreAsync("apikeys.json");
        var forged = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var verification = store.Verify(forged);

        Assert.That(verification.Status, Is.EqualTo(ApiKeyStatus.Invalid));
        Assert.That(verification.Key, Is.Null);
    }

    [Test]
    public async Task Verify_UnknownId_IsInvalid()
    {
        await AddKeyAsync("apikeys.json");
        var store = await StartStoreAsync("apikeys.json");

        Assert.That(store.Verify(ApiKeyFormat.Generate().Key).Status, Is.EqualTo(ApiKeyStatus.Invalid));
    }

    [Test]
    public async Task Verify_AfterExpiry_IsExpired()
    {
        var key = await AddKeyAsync("apikeys.json", expires: s_now.AddHours(1));
        var store = await StartStoreAsync("apikeys.json");
        Assert.That(store.Verify(key).Status, Is.EqualTo(ApiKeyStatus.Valid));

        _time.Advance(TimeSpan.FromHours(1));

        Assert.That(store.Verify(key).Status, Is.EqualTo(ApiKeyStatus.Expired));
    }

    [Test]
    public async Task Reload_AfterRevocation_IsRevoked()
    {
        var key = await AddKeyAsync("apikeys.json");
        var store = await StartStoreAsync("apikeys.json");
        var document = await ApiKeyFile.ReadAsync(Path.Combine(_directory, "apikeys.json"));
        document.Keys[0].Revoked = s_now;
        await ApiKeyFile.WriteAsync(Path.Combine(_directory, "apikeys.json"), document);

        Assert.That(await store.ReloadAsync(), Is.True);
        Assert.That(store.Verify(key).Status, Is.EqualTo(ApiKeyStatus.Revoked));
    }

    [Test]
    public async Task Reload_BrokenFile_KeepsThePreviousKeys()
    {
        var key = await AddKeyAsync("apikeys.json");
        var store = await StartStoreAsync("apikeys.json");
        await File.WriteAllTextAsync(Path.Combine(_directory, "apikeys.json"), """{"version":1,"keys":[{"id":"nothex"}]}""");

        Assert.That(await store.ReloadAsync(), Is.False);
        Assert.That(store.Verify(key).Status, Is.EqualTo(ApiKeyStatus.Valid));
    }

    [Test]
    public async Task MissingFile_MeansNoKeys()
    {
        var store = await StartStoreAsync("absent.json");

        Assert.That(store.Count, Is.Zero);
        Assert.That(store.Verify(ApiKeyFormat.Generate().Key).Status, Is.EqualTo(ApiKeyStatus.Invalid));
    }

    [Test]
    public async Task FileEdited_WhileRunning_IsPickedUpWithoutRestart()
    {
        await AddKeyAsync("apikeys.json");
        var store = await StartStoreAsync("apikeys.json");

        var added = await AddKeyAsync("apikeys.json");

        Assert.That(await EventuallyAsync(() => store.Verify(added).Status == ApiKeyStatus.Valid), Is.True);
    }

    [Test]
    public async Task KubernetesSecretSymlinkSwap_IsPickedUpWithoutRestart()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "symlink layout of a mounted Secret");

        // The kubelet's layout: apikeys.json -> ..data/apikeys.json, ..data -> ..<timestamp>/ ; an update swaps ..data.
        var first = Path.Combine(_directory, "..2030_01_15_1");
        Directory.CreateDirectory(first);
        var oldKey = await AddKeyAsync(Path.Combine(first, "apikeys.json"));
        Directory.CreateSymbolicLink(Path.Combine(_directory, "..data"), first);
        File.CreateSymbolicLink(Path.Combine(_directory, "apikeys.json"), Path.Combine("..data", "apikeys.json"));
        var store = await StartStoreAsync("apikeys.json");
        Assert.That(store.Verify(oldKey).Status, Is.EqualTo(ApiKeyStatus.Valid));

        var second = Path.Combine(_directory, "..2030_01_15_2");
        Directory.CreateDirectory(second);
        var newKey = await AddKeyAsync(Path.Combine(second, "apikeys.json"));
        var staging = Path.Combine(_directory, "..data_tmp");
        Directory.CreateSymbolicLink(staging, second);
        Assert.That(Rename(staging, Path.Combine(_directory, "..data")), Is.Zero, "rename(2) swaps the link atomically");

        Assert.That(await EventuallyAsync(() => store.Verify(newKey).Status == ApiKeyStatus.Valid), Is.True);
        Assert.That(store.Verify(oldKey).Status, Is.EqualTo(ApiKeyStatus.Invalid));
    }

    private async Task<string> AddKeyAsync(string file, string subject = "svc", DateTimeOffset? expires = null)
    {
        var path = Path.Combine(_directory, file);
        var document = await ApiKeyFile.ReadAsync(path);
        var (id, key) = ApiKeyFormat.Generate();
        document.Keys.Add(new ApiKeyRecord { Id = id, Hash = ApiKeyFormat.Hash(key), Subject = subject, Tier = "free", Created = s_now, Expires = expires });
        await ApiKeyFile.WriteAsync(path, document);
        return key;
    }

    private async Task<ApiKeyStore> StartStoreAsync(string file)
    {
        var options = new SecurityOptions { ApiKeys = new ApiKeyOptions { Path = file, PollInterval = TimeSpan.FromMilliseconds(100) } };
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<GatewayMetrics>()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = _directory })
            .AddSingleton(Options.Create(options))
            .AddSingleton<ApiKeyStore>()
            .BuildServiceProvider();
        var store = _services.GetRequiredService<ApiKeyStore>();
        await store.StartAsync(CancellationToken.None);
        return store;
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }
}
