using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Observability.Metrics;

namespace Gateway.Tests.Operations;

/// <summary>
/// The PrometheusRule in <c>deploy/kubernetes/base</c>: it covers every alert of the runbook, each with a summary,
/// description, severity and a runbook_url to an existing section of docs/runbook.md; <c>promtool check rules</c>
/// accepts it and its <c>promtool test rules</c> unit tests (deploy/monitoring) pass.
/// </summary>
public sealed class AlertRuleTests
{
    public static readonly string RulePath = Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "kubernetes", "base", "prometheusrule.yaml");
    public static readonly string UnitTestPath = Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "monitoring", "prometheusrule.test.yaml");

    private static readonly string[] s_expectedAlerts =
    [
        "McpGatewayDown", "McpGatewayErrorRateHigh", "McpGatewayErrorRateCritical", "McpToolLatencyHigh",
        "McpGatewayPodRestarting", "McpGatewayMemoryHigh", "McpIdentityProviderUnreachable", "McpApiKeyExpiringSoon",
        "McpBackendDown", "McpServerDown", "McpDualMonitoringDegraded", "McpExpectedToolsMissing", "McpCircuitOpen",
        "McpRedisUnavailable", "McpAuditEntriesLost", "McpConfigReloadRejected", "McpToolDefinitionChanged",
        "McpUpstreamCheckFailing",
    ];

    public static List<JsonObject> Rules() =>
        Groups().SelectMany(g => g!["rules"]!.AsArray()).Cast<JsonObject>().ToList();

    public static JsonArray Groups() => YamlDocuments.ParseOne(File.ReadAllText(RulePath))["spec"]!["groups"]!.AsArray();

    [Test]
    public void Rules_CoverEveryRunbookAlert()
    {
        Assert.That(Rules().Select(r => (string?)r["alert"]), Is.EquivalentTo(s_expectedAlerts));
    }

    [Test]
    public void EveryAlert_HasSeveritySummaryDescription_AndARunbookUrlToItsSection()
    {
        var anchors = RunbookDocument.Anchors();
        foreach (var rule in Rules())
        {
            var name = (string)rule["alert"]!;
            Assert.That((string?)rule["labels"]?["severity"], Is.AnyOf("critical", "warning"), name);
            Assert.That((string?)rule["annotations"]?["summary"], Is.Not.Null.And.Not.Empty, name);
            Assert.That((string?)rule["annotations"]?["description"], Is.Not.Null.And.Not.Empty, name);
            var url = (string?)rule["annotations"]?["runbook_url"];
            Assert.That(url, Is.EqualTo(RunbookDocument.Url + "#" + name.ToLowerInvariant()), name);
            Assert.That(anchors, Does.Contain(name.ToLowerInvariant()), $"docs/runbook.md has no section '{name}'");
        }
    }

    [Test]
    public void EveryAlert_HasAUnitTestWhereItFires_AndOneWhereItStaysQuiet()
    {
        var evaluations = YamlDocuments.ParseOne(File.ReadAllText(UnitTestPath))["tests"]!.AsArray()
            .SelectMany(t => t!["alert_rule_test"]!.AsArray())
            .Select(e => (Alert: (string?)e!["alertname"], Fires: e["exp_alerts"] is JsonArray { Count: > 0 }))
            .ToList();

        foreach (var alert in s_expectedAlerts)
        {
            Assert.That(evaluations, Does.Contain((Alert: (string?)alert, Fires: true)), $"{alert} has no test where it fires");
            Assert.That(evaluations, Does.Contain((Alert: (string?)alert, Fires: false)), $"{alert} has no test where it stays quiet");
        }
    }

    [Test]
    public async Task PrometheusRule_PassesPromtoolCheckRules()
    {
        var directory = WriteRulesFile();

        var (exitCode, output) = await RunPromtoolAsync(directory, "check", "rules", RulesFileName);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain($"SUCCESS: {s_expectedAlerts.Length} rules found"));
    }

    [Test]
    public async Task PrometheusRule_PassesItsPromtoolUnitTests()
    {
        var directory = WriteRulesFile();
        File.Copy(UnitTestPath, Path.Combine(directory, "tests.yaml"));

        var (exitCode, output) = await RunPromtoolAsync(directory, "test", "rules", "tests.yaml");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("SUCCESS"));
    }

    private const string RulesFileName = "mcp-gateway.rules.yaml";

    /// <summary>The PrometheusRule's spec as a plain Prometheus rules file (JSON is valid YAML).</summary>
    private static string WriteRulesFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests", "rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, RulesFileName), new JsonObject { ["groups"] = Groups().DeepClone() }.ToJsonString());
        return directory;
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(string directory, params string[] arguments)
    {
        var executable = Promtool.FindExecutable();
        if (executable is null)
        {
            Assert.Ignore("promtool is not on PATH; install it with 'apt-get install -y prometheus'.");
        }

        try
        {
            var start = new ProcessStartInfo(executable!, arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
