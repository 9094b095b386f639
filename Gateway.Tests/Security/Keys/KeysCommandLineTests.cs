using System.Text.Json.Nodes;
using Gateway.Proxy.Security.Keys;
using Gateway.Tests.RateLimiting;

namespace Gateway.Tests.Security.Keys;

/// <summary>The <c>keys</c> commands run in-process against a temporary key file.</summary>
public sealed class KeysCommandLineTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private string _directory = null!;
    private KeysCommandSettings _settings = null!;

    private string FilePath => Path.Combine(_directory, "apikeys.json");

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "cli-" + Guid.NewGuid().ToString("N"));
        _settings = new KeysCommandSettings(Path.Combine(_directory, "apikeys.json"), ["free", "standard", "premium"], new ManualTimeProvider(s_now));
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task Create_PrintsTheKeyOnceAndStoresOnlyItsHash()
    {
        var (code, output, error) = await RunAsync("create", "--subject", "svc-ci", "--tenant", "acme", "--tier", "standard",
            "--scopes", "tools:read,tools:call", "--expires", "90d");

        Assert.That(code, Is.Zero, error);
        var key = output.Trim();
        Assert.That(ApiKeyFormat.TryGetId(key, out var idSpan), Is.True, output);
        var id = idSpan.ToString();
        var fileText = await File.ReadAllTextAsync(FilePath);
        Assert.That(fileText, Does.Not.Contain(key[^43..]), "the secret is never written");
        var record = JsonNode.Parse(fileText)!["keys"]![0]!;
        Assert.That((string?)record["id"], Is.EqualTo(id));
        Assert.That((string?)record["hash"], Is.EqualTo(ApiKeyFormat.Hash(key)));
        Assert.That((string?)record["subject"], Is.EqualTo("svc-ci"));
        Assert.That((string?)record["tenant"], Is.EqualTo("acme"));
        Assert.That((string?)record["tier"], Is.EqualTo("standard"));
        Assert.That(record["scopes"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "tools:read", "tools:call" }));
        Assert.That(DateTimeOffset.Parse((string)record["expires"]!), Is.EqualTo(s_now.AddDays(90)));
        Assert.That(error, Does.Contain("shown only this once"));
    }

    [Test]
    public async Task Create_Twice_KeepsBothKeys()
    {
        await RunAsync("create", "--subject", "a", "--tier", "free");
        await RunAsync("create", "--subject", "b", "--tier", "premium", "--expires", "never");

        var document = await ApiKeyFile.ReadAsync(FilePath);

        Assert.That(document.Keys.Select(k => k.Subject), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(document.Keys[1].Expires, Is.Null);
    }

    [Test]
    public async Task Create_OnUnix_FileIsReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes only.");
            return;
        }

        await RunAsync("create", "--subject", "a", "--tier", "free");

        Assert.That(File.GetUnixFileMode(FilePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [TestCase("--tier standard", "--subject is required")]
    [TestCase("--subject svc --tier gold", "--tier must be one of free, standard, premium")]
    [TestCase("--subject svc --tier free --expires 5y", "--expires '5y'")]
    [TestCase("--subject svc --tier free --expires 2001-01-01", "--expires '2001-01-01'")]
    [TestCase("--subject svc --tier free --scopes a,b\"c", "scope or role 'b\"c'")]
    [TestCase("--subject svc --tier free --colour blue", "unknown option '--colour'")]
    [TestCase("--subject", "option '--subject' needs a value")]
    public async Task Create_WithBadArguments_FailsWithUsageErrorAndWritesNothing(string arguments, string message)
    {
        var (code, output, error) = await RunAsync(["create", .. arguments.Split(' ')]);

        Assert.That(code, Is.EqualTo(KeysCommandLine.UsageError));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain(message));
        Assert.That(File.Exists(FilePath), Is.False);
    }

    [Test]
    public async Task Revoke_MarksTheKeyRevokedAndKeepsItsRecord()
    {
        var (_, key, _) = await RunAsync("create", "--subject", "svc-ci", "--tier", "free");
        var id = key.Trim()[6..22];

        var (code, _, error) = await RunAsync("revoke", id);

        Assert.That(code, Is.Zero, error);
        var record = (await ApiKeyFile.ReadAsync(FilePath)).Keys.Single();
        Assert.That(record.Revoked, Is.EqualTo(s_now));
    }

    [Test]
    public async Task Revoke_AcceptsTheWholeKey()
    {
        var (_, key, _) = await RunAsync("create", "--subject", "svc-ci", "--tier", "free");

        var (code, _, _) = await RunAsync("revoke", key.Trim());

        Assert.That(code, Is.Zero);
        Assert.That((await ApiKeyFile.ReadAsync(FilePath)).Keys.Single().Revoked, Is.Not.Null);
    }

    [Test]
    public async Task Revoke_UnknownId_Fails()
    {
        await RunAsync("create", "--subject", "svc-ci", "--tier", "free");

        var (code, _, error) = await RunAsync("revoke", "0123456789abcdef");

        Assert.That(code, Is.EqualTo(KeysCommandLine.Failed));
        Assert.That(error, Does.Contain("no key with id '0123456789abcdef'"));
    }

    [Test]
    public async Task List_ShowsEveryKeyWithStatusButNoSecret()
    {
        var (_, active, _) = await RunAsync("create", "--subject", "svc-active", "--tier", "free", "--scopes", "tools:read");
        var (_, revoked, _) = await RunAsync("create", "--subject", "svc-revoked", "--tier", "premium");
        await RunAsync("revoke", revoked.Trim());

        var (code, output, _) = await RunAsync("list");

        Assert.That(code, Is.Zero);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[1], Does.Contain("active").And.Contain("svc-active").And.Contain("tools:read").And.Contain("2030-04-15"));
        Assert.That(lines[2], Does.Contain("revoked").And.Contain("svc-revoked"));
        Assert.That(output, Does.Not.Contain(active.Trim()).And.Not.Contain("sha256:"));
    }

    [Test]
    public async Task List_ExpiredKey_ShowsExpired()
    {
        await RunAsync("create", "--subject", "short", "--tier", "free", "--expires", "1h");
        var later = _settings with { Time = new ManualTimeProvider(s_now.AddHours(2)) };

        using var output = new StringWriter();
        await KeysCommandLine.RunAsync(["list"], output, TextWriter.Null, later);

        Assert.That(output.ToString(), Does.Contain("expired"));
    }

    [Test]
    public async Task FileOption_OverridesTheConfiguredFile()
    {
        var other = Path.Combine(_directory, "other.json");

        await RunAsync("create", "--subject", "a", "--tier", "free", "--file", other);

        Assert.That(File.Exists(other), Is.True);
        Assert.That(File.Exists(FilePath), Is.False);
    }

    [Test]
    public async Task CorruptFile_IsReportedNotOverwritten()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(FilePath, "{ not json");

        var (code, _, error) = await RunAsync("create", "--subject", "a", "--tier", "free");

        Assert.That(code, Is.EqualTo(KeysCommandLine.Failed));
        Assert.That(error, Does.Contain("not a key file"));
        Assert.That(await File.ReadAllTextAsync(FilePath), Is.EqualTo("{ not json"));
    }

    [TestCase(new string[0], KeysCommandLine.UsageError)]
    [TestCase(new[] { "help" }, KeysCommandLine.Success)]
    [TestCase(new[] { "renew" }, KeysCommandLine.UsageError)]
    public async Task NoOrUnknownCommand_PrintsUsage(string[] args, int expected)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.That(code, Is.EqualTo(expected));
        Assert.That(output + error, Does.Contain("Usage").Or.Contain("unknown command"));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommandLine.RunAsync(args, output, error, _settings);
        return (code, output.ToString(), error.ToString());
    }
}
