using System.Text.Json.Nodes;
using Gateway.Proxy.Security.Keys;
using Gateway.Tests.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Security.Keys;

/// <summary><c>keys rotate</c> and <c>keys report</c> against a temporary key file and audit trail.</summary>
public sealed class KeysLifecycleCommandTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private string _directory = null!;
    private ManualTimeProvider _time = null!;
    private KeysCommandSettings _settings = null!;
    private readonly List<IDisposable> _disposables = [];

    private string FilePath => Path.Combine(_directory, "apikeys.json");

    private string AuditPath => Path.Combine(_directory, "audit.jsonl");

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "lifecycle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _time = new ManualTimeProvider(s_now);
        _settings = new KeysCommandSettings(FilePath, ["free", "standard", "premium"], _time) { AuditPath = AuditPath };
    }

    [TearDown]
    public void TearDown()
    {
        _disposables.ForEach(d => d.Dispose());
        _disposables.Clear();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Rotate_IssuesAKeyWithTheSameIdentity_AndRetiresTheOldOneAfterTheGracePeriod()
    {
        var old = await CreateAsync("--subject", "svc-ci", "--tenant", "acme", "--tier", "premium", "--scopes", "tools:call", "--roles", "ops");
        var oldId = Id(old);

        var (code, output, error) = await RunAsync("rotate", oldId, "--grace", "2h");

        Assert.That(code, Is.Zero, error);
        var newKey = output.Trim();
        Assert.That(ApiKeyFormat.TryGetId(newKey, out _), Is.True);
        var keys = JsonNode.Parse(await File.ReadAllTextAsync(FilePath))!["keys"]!.AsArray();
        var oldRecord = keys.Single(k => (string?)k!["id"] == oldId)!;
        var newRecord = keys.Single(k => (string?)k!["id"] == Id(newKey))!;
        Assert.That(((string?)newRecord["subject"], (string?)newRecord["tenant"], (string?)newRecord["tier"]), Is.EqualTo(("svc-ci", "acme", "premium")));
        Assert.That(newRecord["scopes"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "tools:call" }));
        Assert.That(newRecord["roles"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "ops" }));
        Assert.That(DateTimeOffset.Parse((string)oldRecord["revoked"]!), Is.EqualTo(s_now.AddHours(2)));
        Assert.That((string?)oldRecord["replacedBy"], Is.EqualTo(Id(newKey)));

        var store = await LoadStoreAsync();
        Assert.That(store.Verify(old).Status, Is.EqualTo(ApiKeyStatus.Valid), "the old key works during the grace period");
        Assert.That(store.Verify(newKey).Status, Is.EqualTo(ApiKeyStatus.Valid));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.That(store.Verify(old).Status, Is.EqualTo(ApiKeyStatus.Revoked), "and is revoked when it ends");
        Assert.That(store.Verify(newKey).Status, Is.EqualTo(ApiKeyStatus.Valid));
    }

    [Test]
    public async Task Rotate_ARetiringKey_IsRefusedWithTheReason()
    {
        var old = await CreateAsync("--subject", "svc-ci", "--tier", "free");
        await RunAsync("rotate", Id(old));

        var (code, _, error) = await RunAsync("rotate", Id(old));

        Assert.That(code, Is.EqualTo(KeysCommandLine.Failed));
        Assert.That(error, Does.Contain("is retiring").And.Contain("replaced by"));
    }

    [TestCase("0h")]
    [TestCase("soon")]
    public async Task Rotate_WithABadGrace_IsAUsageError(string grace)
    {
        var old = await CreateAsync("--subject", "svc-ci", "--tier", "free");

        var (code, _, error) = await RunAsync("rotate", Id(old), "--grace", grace);

        Assert.That(code, Is.EqualTo(KeysCommandLine.UsageError));
        Assert.That(error, Does.Contain("--grace"));
    }

    [Test]
    public async Task Report_Json_ShowsDaysLeftLastUseAndTheFlagsTheExpiryAlertUses()
    {
        var soon = Id(await CreateAsync("--subject", "soon", "--tier", "free", "--expires", "3d"));
        var later = Id(await CreateAsync("--subject", "later", "--tier", "free", "--expires", "30d"));
        var expired = Id(await CreateAsync("--subject", "gone", "--tier", "free", "--expires", "1h"));
        await File.WriteAllLinesAsync(AuditPath,
        [
            $$"""{"timestamp":"2030-01-14T08:00:00.000Z","request_id":"a","method":"tools/call","status":"ok","api_key_id":"{{later}}"}""",
            $$"""{"timestamp":"2030-01-15T09:30:00.000Z","request_id":"b","method":"tools/call","status":"ok","api_key_id":"{{later}}"}""",
            """{"timestamp":"2030-01-15T10:00:00.000Z","request_id":"c","method":"tools/call","status":"ok"}""",
            "not json",
        ]);
        _time.Advance(TimeSpan.FromHours(2));

        var (code, output, error) = await RunAsync("report", "--format", "json");

        Assert.That(code, Is.Zero, error);
        var rows = JsonNode.Parse(output)!["keys"]!.AsArray().ToDictionary(k => (string)k!["id"]!, k => k!);
        Assert.That(((int?)rows[soon]["days_left"], (bool?)rows[soon]["expiring"], (bool?)rows[soon]["expired"]), Is.EqualTo((2, true, false)));
        Assert.That(((int?)rows[later]["days_left"], (bool?)rows[later]["expiring"]), Is.EqualTo((29, false)));
        Assert.That(DateTimeOffset.Parse((string)rows[later]["last_used"]!), Is.EqualTo(new DateTimeOffset(2030, 1, 15, 9, 30, 0, TimeSpan.Zero)));
        Assert.That(rows[soon]["last_used"], Is.Null);
        Assert.That(((bool?)rows[expired]["expired"], (string?)rows[expired]["status"]), Is.EqualTo((true, "expired")));
        Assert.That(error, Does.Contain("2 expired or expiring").And.Contain("1 unreadable line(s) skipped"));
    }

    [Test]
    public async Task Report_Text_FlagsExpiringKeys_AndRotatedKeysAreNotFlagged()
    {
        var soon = Id(await CreateAsync("--subject", "soon", "--tier", "free", "--expires", "3d"));
        var rotated = Id(await CreateAsync("--subject", "rotated", "--tier", "free", "--expires", "2d"));
        await RunAsync("rotate", rotated);

        var (code, output, _) = await RunAsync("report");

        Assert.That(code, Is.Zero);
        var lines = output.Split('\n');
        Assert.That(lines.Single(l => l.StartsWith(soon, StringComparison.Ordinal)), Does.Contain("EXPIRING"));
        Assert.That(lines.Single(l => l.StartsWith(rotated, StringComparison.Ordinal)), Does.Contain("retiring").And.Contain("replaced by").And.Not.Contain("EXPIRING"));
    }

    [Test]
    public async Task Report_WithBadWarnDays_IsAUsageError()
    {
        var (code, _, error) = await RunAsync("report", "--warn-days", "0");

        Assert.That(code, Is.EqualTo(KeysCommandLine.UsageError));
        Assert.That(error, Does.Contain("--warn-days"));
    }

    private static string Id(string key) => ApiKeyFormat.TryGetId(key, out var id) ? id.ToString() : throw new AssertionException("not a key: " + key);

    private async Task<string> CreateAsync(params string[] arguments)
    {
        var (code, output, error) = await RunAsync(["create", .. arguments]);
        Assert.That(code, Is.Zero, error);
        return output.Trim();
    }

    private async Task<ApiKeyStore> LoadStoreAsync()
    {
        var options = new Gateway.Proxy.Security.SecurityOptions { ApiKeys = new Gateway.Proxy.Security.ApiKeyOptions { Path = FilePath } };
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<Gateway.Proxy.Observability.Metrics.GatewayMetrics>()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = _directory })
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(options))
            .AddSingleton<ApiKeyStore>()
            .BuildServiceProvider();
        _disposables.Add(services);
        var store = services.GetRequiredService<ApiKeyStore>();
        Assert.That(await store.ReloadAsync(), Is.True);
        return store;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommandLine.RunAsync(args, output, error, _settings);
        return (code, output.ToString(), error.ToString());
    }
}
