using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>The Grafana dashboard: valid JSON, shipped as a ConfigMap the sidecar picks up, with the panels operators need.</summary>
public sealed partial class DashboardTests
{
    public static readonly string DashboardPath = Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "kubernetes", "base", "dashboards", "mcp-gateway.json");

    public static JsonObject Dashboard() => (JsonObject)JsonNode.Parse(File.ReadAllText(DashboardPath))!;

    public static IEnumerable<string> Expressions() =>
        Dashboard()["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => (string)t!["expr"]!);

    [Test]
    public async Task Dashboard_IsShippedAsAConfigMapWithTheGrafanaSidecarLabel()
    {
        var documents = await Kustomize.RenderAsync("base");
        var configMap = Kustomize.Single(documents, "ConfigMap", "mcp-gateway-dashboard");

        Assert.That((string?)configMap["metadata"]!["labels"]!["grafana_dashboard"], Is.EqualTo("1"));
        Assert.That(JsonNode.Parse((string)configMap["data"]!["mcp-gateway.json"]!)!.ToJsonString(), Is.EqualTo(Dashboard().ToJsonString()));
    }

    [TestCase("Request rate", "mcp_requests_total")]
    [TestCase("Error rate", "mcp_requests_total{namespace=\"$namespace\", status=\"error\"}")]
    [TestCase("Latency p50 / p95 / p99 by tool", "histogram_quantile(0.99, sum by (le, tool) (rate(mcp_request_duration_seconds_bucket")]
    [TestCase("Tool calls by tool", "sum by (tool_name) (rate(mcp_tool_calls_total")]
    [TestCase("Auth failures by reason", "sum by (reason) (rate(mcp_auth_failures_total")]
    [TestCase("Rate-limited calls by policy", "sum by (policy) (rate(mcp_rate_limited_total")]
    [TestCase("Validation rejections by validator", "mcp_validation_rejections_total")]
    [TestCase("Backend up by cluster", "min by (cluster) (mcp_backend_up")]
    [TestCase("Circuit state by cluster", "max by (cluster) (mcp_circuit_state")]
    [TestCase("Redis available", "mcp_redis_available")]
    [TestCase("Audit outcomes", "sum by (outcome) (rate(mcp_audit_events_total")]
    [TestCase("Active sessions", "mcp_active_sessions")]
    [TestCase("Config reloads", "sum by (result) (increase(mcp_config_reloads_total")]
    public void Dashboard_HasThePanel(string title, string expressionPart)
    {
        var panel = Dashboard()["panels"]!.AsArray().SingleOrDefault(p => (string?)p!["title"] == title);

        Assert.That(panel, Is.Not.Null, $"no panel '{title}'");
        Assert.That(panel!["targets"]!.AsArray().Select(t => (string?)t!["expr"]), Has.Some.Contains(expressionPart));
    }

    [Test]
    public void Dashboard_PanelIds_AreUnique_AndEveryQueryIsScopedToTheSelectedNamespace()
    {
        var panels = Dashboard()["panels"]!.AsArray();

        Assert.That(panels.Select(p => (int)p!["id"]!), Is.Unique);
        foreach (var expression in Expressions())
        {
            foreach (Match selector in MetricSelector().Matches(expression))
            {
                Assert.That(selector.Groups[2].Value, Does.Contain("namespace=\"$namespace\""), $"{selector.Groups[1].Value} in {expression}");
            }
        }
    }

    [GeneratedRegex(@"\b((?:mcp|http)_[a-z_]+)(\{[^}]*\}|)")]
    private static partial Regex MetricSelector();
}
