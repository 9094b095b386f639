using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DemoBackends;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Redis;

namespace Gateway.Tests.Operations;

/// <summary>
/// Runs every <c>```bash test</c> block of docs/runbook.md, in order and in one bash session, against the demo
/// backends and a gateway with API keys and Redis, with the runbook's convention variables pointed at them. A
/// command that no longer works (endpoint, flag, metric, error code, key layout) fails here.
/// </summary>
public sealed partial class RunbookTests
{
    [Test]
    public void Runbook_HasTheSectionsOperatorsExpect()
    {
        var anchors = RunbookDocument.Anchors();

        Assert.That(anchors, Is.SupersetOf(new[]
        {
            "service-overview", "startup", "health-checks", "configuration", "dependencies", "monitoring", "alerts",
            "troubleshooting", "start-up-failures", "tool-errors", "rate-limiting", "authentication", "audit",
            "security-operations", "rotate-jwt-signing-keys", "rotate-and-revoke-api-keys", "review-the-audit-trail",
            "clear-rate-limit-state", "scaling", "incident-severities", "shutdown",
        }));
        Assert.That(TestedBlocks(), Has.Count.GreaterThanOrEqualTo(8));
    }

    [Test]
    public void Runbook_ConventionBlock_DefinesTheVariablesTheTestedCommandsUse()
    {
        var conventions = ConventionBlock().Match(RunbookDocument.Text);
        Assert.That(conventions.Success, Is.True, "the first bash block defines gw, mgmt, audit, redis_url, keys and key");
        var defined = DefinedName().Matches(conventions.Groups[1].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.That(defined, Is.SupersetOf(new[] { "gw", "mgmt", "audit", "redis_url", "keys", "key" }));
    }

    [Test]
    public async Task Runbook_EveryTestedCommand_WorksAgainstTheDemo()
    {
        RedisServerFixture.IgnoreIfUnavailable(RedisServerKind.Redis);
        if (!CommandExists("jq") || !CommandExists("curl") || !CommandExists("redis-cli"))
        {
            Assert.Ignore("the runbook's commands need curl, jq and redis-cli (Debian: apt-get install curl jq redis-tools).");
        }

        await using var redis = await RedisServerFixture.StartAsync(RedisServerKind.Redis);
        await using var backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "runbook-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var keysPath = Path.Combine(directory, "api-keys.json");
        var managementPort = FreePort.Next();
        await using var gateway = await TestGateway.StartAsync(SeedRoutes.For(backends), new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "true",
            ["Gateway:Auth:ApiKeys:Path"] = keysPath,
            ["Gateway:Auth:ApiKeys:PollInterval"] = "00:00:00.200",
            ["Gateway:RateLimiting:RedisUrl"] = redis.Url,
            // A loaded CI machine can exceed the 50 ms default and fail open to memory, leaving no keys to clear.
            ["Gateway:RateLimiting:RedisCommandTimeout"] = "00:00:02",
            // The runbook's $mgmt commands go to the management port, which needs no credential.
            ["Gateway:Management:Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
        });
        var gw = gateway.Address.ToString().TrimEnd('/');
        var mgmt = $"http://127.0.0.1:{managementPort}";
        var audit = Path.Combine(gateway.Directory, "logs", "audit.jsonl");
        var script = new StringBuilder($$$"""
            set -euo pipefail
            gw={{{gw}}}
            mgmt={{{mgmt}}}
            audit={{{audit}}}
            redis_url={{{redis.Url}}}
            export MCP_GATEWAY_API_KEYS_PATH={{{keysPath}}} MCP_GATEWAY_AUDIT_LOG_PATH={{{audit}}}
            keys() { dotnet {{{Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll")}}} keys "$@"; }
            # The test gateway re-reads the key file every 0.2 s, so the runbook's waits can be short.
            sleep() { command sleep 0.6; }
            key=$(keys create --subject svc-ci --tier standard --expires 30d 2>/dev/null)
            sleep 1
            curl -fsS $gw/tools/call -H "X-API-Key: $key" -H 'Content-Type: application/json' -d '{"tool":"semantic_search","arguments":{"query":"warm-up"}}' >/dev/null

            """);
        foreach (var (block, index) in TestedBlocks().Select((b, i) => (b, i)))
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"echo '>>> runbook block {index + 1}' >&2");
            script.AppendLine(block);
        }

        try
        {
            var (exitCode, output) = await RunBashAsync(script.ToString(), directory);

            Assert.That(exitCode, Is.Zero, $"a runbook command failed (the last '>>> runbook block N' marks the block):{Environment.NewLine}{output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> TestedBlocks() =>
        TestedBlock().Matches(RunbookDocument.Text).Select(m => m.Groups[1].Value).ToList();

    private static bool CommandExists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, name)));

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    [GeneratedRegex(@"(?ms)^```bash test\n(.*?)^```")]
    private static partial Regex TestedBlock();

    [GeneratedRegex(@"(?ms)^```bash\n(.*?)^```")]
    private static partial Regex ConventionBlock();

    [GeneratedRegex(@"(?m)^([a-z_]+)(?:=|\(\) \{)")]
    private static partial Regex DefinedName();
}
