using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Resilience;

/// <summary>
/// Offline checks of <c>deploy/kubernetes</c>: every manifest is well-formed block YAML with apiVersion, kind and a
/// name; the Deployment's probes and grace period match the gateway's endpoints and drain settings; and the routes
/// ConfigMap holds a routes.json the gateway accepts.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string s_directory = Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "kubernetes");

    public static IEnumerable<string> Manifests() => Directory.GetFiles(s_directory, "*.yaml").Select(Path.GetFileName)!;

    [TestCaseSource(nameof(Manifests))]
    public void Manifest_IsWellFormedYamlWithKindAndName(string file)
    {
        var text = File.ReadAllText(Path.Combine(s_directory, file));

        Assert.That(StructureErrors(text), Is.Empty);
        foreach (var document in text.Split("\n---", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(document, Does.Match(@"(?m)^apiVersion: \S+").And.Match(@"(?m)^kind: \S+"));
            if (!document.Contains("kind: Kustomization", StringComparison.Ordinal))
            {
                Assert.That(document, Does.Match(@"(?m)^metadata:\s*\n\s+name: \S+"));
            }
        }
    }

    [Test]
    public void Kustomization_ListsEveryOtherManifest()
    {
        var kustomization = File.ReadAllText(Path.Combine(s_directory, "kustomization.yaml"));

        foreach (var file in Manifests().Where(f => f != "kustomization.yaml"))
        {
            Assert.That(kustomization, Does.Contain("- " + file));
        }
    }

    [Test]
    public void Deployment_ProbesTheGatewayEndpoints_AndItsGracePeriodCoversTheDrain()
    {
        var deployment = File.ReadAllText(Path.Combine(s_directory, "deployment.yaml"));
        var grace = int.Parse(Value(deployment, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        var preStopSleep = int.Parse(Regex.Match(deployment, @"sleep:\s*\n\s*seconds: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var drain = TimeSpan.Parse(EnvValue(deployment, "MCP_GATEWAY_DRAIN_TIMEOUT"), System.Globalization.CultureInfo.InvariantCulture);
        var preStopDelay = TimeSpan.Parse(EnvValue(deployment, "MCP_GATEWAY_PRESTOP_DELAY"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(deployment, Does.Match(@"readinessProbe:\s*\n\s*httpGet:\s*\n\s*path: /ready"));
        Assert.That(deployment, Does.Match(@"livenessProbe:\s*\n\s*httpGet:\s*\n\s*path: /health"));
        Assert.That(grace, Is.GreaterThan(preStopSleep + (drain + preStopDelay).TotalSeconds));
        Assert.That(deployment, Does.Not.Match(@"(?m)^\s*subPath:"), "a subPath mount never sees ConfigMap updates, so routes.json would not hot-reload");
        Assert.That(EnvValue(deployment, "MCP_GATEWAY_ROUTES_PATH"), Does.StartWith(Regex.Match(deployment, @"name: routes\s*\n\s*mountPath: (\S+)").Groups[1].Value + "/"));
    }

    [Test]
    public async Task RoutesConfigMap_HoldsARoutesFileTheGatewayAccepts()
    {
        var configMap = File.ReadAllText(Path.Combine(s_directory, "configmap-routes.yaml"));
        var routes = BlockScalar(configMap, "routes.json");

        await using var gateway = await TestGateway.StartAsync(routes);
        using var http = new HttpClient { BaseAddress = gateway.Address };
        var tools = await http.GetFromJsonAsync<JsonObject>("tools");

        Assert.That(tools!["tools"]!.AsArray(), Has.Count.EqualTo(9));
        Assert.That(routes, Does.Not.Contain("127.0.0.1"), "in the cluster, backends are Services, not loopback addresses");
    }

    /// <summary>A deliberately small check for the block style used here: spaces only, even indents, key/list lines.</summary>
    private static List<string> StructureErrors(string text)
    {
        var errors = new List<string>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blockIndent = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (blockIndent >= 0 && (content.Length == 0 || indent > blockIndent))
            {
                continue;
            }

            blockIndent = -1;
            if (content.Length == 0 || content.StartsWith('#') || content == "---")
            {
                continue;
            }

            if (line.Contains('\t', StringComparison.Ordinal))
            {
                errors.Add($"line {i + 1}: tab character");
            }

            if (indent % 2 != 0)
            {
                errors.Add($"line {i + 1}: odd indentation");
            }

            if (!StructuralLine().IsMatch(content))
            {
                errors.Add($"line {i + 1}: not a 'key: value' or '- item' line: {content}");
            }

            if (content.EndsWith(": |", StringComparison.Ordinal) || content.EndsWith(": |-", StringComparison.Ordinal) || content.EndsWith(": >", StringComparison.Ordinal))
            {
                blockIndent = indent;
            }
        }

        return errors;
    }

    private static string BlockScalar(string text, string key)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == key + ": |");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no block scalar '{key}: |'");
        var keyIndent = lines[start].Length - lines[start].TrimStart().Length;
        var body = new StringBuilder();
        for (var i = start + 1; i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].Length - lines[i].TrimStart().Length > keyIndent); i++)
        {
            body.AppendLine(lines[i].Length > keyIndent + 2 ? lines[i][(keyIndent + 2)..] : "");
        }

        return body.ToString();
    }

    private static string Value(string text, string key) => Regex.Match(text, $@"(?m)^\s*{Regex.Escape(key)}: (\S+)").Groups[1].Value;

    private static string EnvValue(string text, string name) =>
        Regex.Match(text, $@"- name: {Regex.Escape(name)}\s*\n\s*value: ""?([^""\n]+)""?").Groups[1].Value;

    [GeneratedRegex(@"^(- )?([A-Za-z0-9_.\-/]+:( .+)?|[^:#]+|""[^""]*""|\{\})$")]
    private static partial Regex StructuralLine();
}
