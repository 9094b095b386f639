using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Tests.Operations;

/// <summary>
/// <c>kubectl kustomize</c> renders the base and both overlays, and the rendered objects fit together: image tag =
/// project version, auth wired to the ConfigMap and the mounted Secret, management port scraped by the
/// ServiceMonitor, NetworkPolicy, and the per-overlay replicas, Redis, PDB, HPA and topology spread.
/// </summary>
public sealed class KustomizeOverlayTests
{
    public static IEnumerable<string> Overlays() => Kustomize.Overlays;

    [TestCaseSource(nameof(Overlays))]
    public async Task Overlay_ImageTag_IsTheProjectVersion(string overlay)
    {
        var container = Kustomize.GatewayContainer(Kustomize.Single(await Kustomize.RenderAsync(overlay), "Deployment"));

        Assert.That((string?)container["image"], Is.EqualTo("ghcr.io/example/mcp-gateway:" + ProjectVersion.Value));
        Assert.That(GatewayBuildInfo.Current.Version, Is.EqualTo(ProjectVersion.Value), "the same version reaches /health and mcp_gateway_build_info");
    }

    [TestCaseSource(nameof(Overlays))]
    public async Task Overlay_ConfiguresAuth_FromTheConfigMap_AndTheApiKeyFileFromTheMountedSecret(string overlay)
    {
        var documents = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.Single(documents, "Deployment");
        var container = Kustomize.GatewayContainer(deployment);
        var configMapName = (string?)container["envFrom"]!.AsArray().Single()!["configMapRef"]!["name"];
        var auth = Kustomize.Single(documents, "ConfigMap", configMapName!)["data"]!;

        Assert.That((string?)auth["MCP_GATEWAY_AUTH_ENABLED"], Is.EqualTo("true"));
        Assert.That((string?)auth["MCP_GATEWAY_OIDC_ISSUER"], Does.StartWith("https://"));
        Assert.That((string?)auth["MCP_GATEWAY_OIDC_JWKS_URL"], Does.StartWith("https://"));
        Assert.That((string?)auth["MCP_GATEWAY_OIDC_AUDIENCE"], Does.StartWith("https://"));

        var keysPath = Env(container, "MCP_GATEWAY_API_KEYS_PATH");
        var mount = container["volumeMounts"]!.AsArray().Single(m => keysPath.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal))!;
        var volume = deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)mount["name"])!;
        var secret = Kustomize.Single(documents, "Secret", (string)volume["secret"]!["secretName"]!);
        Assert.That(secret["stringData"]!.AsObject().ContainsKey(Path.GetFileName(keysPath)), Is.True, $"the Secret holds {Path.GetFileName(keysPath)}");
    }

    [TestCaseSource(nameof(Overlays))]
    public async Task Overlay_ServesMetricsOnTheManagementPort_AndTheServiceMonitorScrapesIt(string overlay)
    {
        var documents = await Kustomize.RenderAsync(overlay);
        var container = Kustomize.GatewayContainer(Kustomize.Single(documents, "Deployment"));
        var service = Kustomize.Single(documents, "Service");
        var monitor = Kustomize.Single(documents, "ServiceMonitor");

        var management = container["ports"]!.AsArray().Single(p => (string?)p!["name"] == "management")!;
        Assert.That((string?)management["containerPort"], Is.EqualTo("9090"));
        Assert.That(Env(container, "MCP_GATEWAY_MANAGEMENT_PORT"), Is.EqualTo("9090"));
        Assert.That(service["spec"]!["ports"]!.AsArray().Any(p => (string?)p!["name"] == "management" && (string?)p["targetPort"] == "management"), Is.True);
        var endpoint = monitor["spec"]!["endpoints"]!.AsArray().Single()!;
        Assert.That(((string?)endpoint["port"], (string?)endpoint["path"]), Is.EqualTo(("management", "/metrics")));
        foreach (var (label, value) in monitor["spec"]!["selector"]!["matchLabels"]!.AsObject())
        {
            Assert.That((string?)service["metadata"]!["labels"]![label], Is.EqualTo((string?)value), $"the ServiceMonitor selects the Service by {label}");
        }
    }

    [TestCaseSource(nameof(Overlays))]
    public async Task Overlay_NetworkPolicy_AdmitsOnlyTheIngressControllerToMcp_AndOnlyPrometheusToManagement(string overlay)
    {
        var policy = Kustomize.Single(await Kustomize.RenderAsync(overlay), "NetworkPolicy");
        var rules = policy["spec"]!["ingress"]!.AsArray().Select(r => (
            Peer: (string?)r!["from"]!.AsArray().Single()!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"],
            Ports: string.Join(',', r["ports"]!.AsArray().Select(p => (string?)p!["port"])))).ToList();

        Assert.That(policy["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t), Does.Contain("Ingress"));
        Assert.That(rules, Is.EquivalentTo(new[] { (Peer: (string?)"ingress-nginx", Ports: "http"), (Peer: (string?)"prometheus", Ports: "management") }));
    }

    [Test]
    public async Task Dev_RunsOneReplica_WithInMemoryRateLimits()
    {
        var documents = await Kustomize.RenderAsync("overlays/dev");
        var deployment = Kustomize.Single(documents, "Deployment");

        Assert.That((string?)deployment["spec"]!["replicas"], Is.EqualTo("1"));
        Assert.That(EnvNames(Kustomize.GatewayContainer(deployment)), Does.Not.Contain("MCP_GATEWAY_REDIS_URL"));
        Assert.That(Kustomize.Find(documents, "HorizontalPodAutoscaler"), Is.Null);
        Assert.That(documents.All(d => (string?)d["kind"] == "Namespace" || (string?)d["metadata"]!["namespace"] == "mcp-gateway-dev"), Is.True);
    }

    [Test]
    public async Task Production_RunsThreeSpreadReplicas_WithRedis_APdb_AndAnHpaOnCpuAndMemory()
    {
        var documents = await Kustomize.RenderAsync("overlays/production");
        var deployment = Kustomize.Single(documents, "Deployment");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = Kustomize.GatewayContainer(deployment);
        var hpa = Kustomize.Single(documents, "HorizontalPodAutoscaler");
        var pdb = Kustomize.Single(documents, "PodDisruptionBudget");

        Assert.That((string?)deployment["spec"]!["replicas"], Is.EqualTo("3"));
        Assert.That((string?)hpa["spec"]!["minReplicas"], Is.EqualTo("3"));
        Assert.That(hpa["spec"]!["metrics"]!.AsArray().Select(m => (string?)m!["resource"]!["name"]), Is.EquivalentTo(new[] { "cpu", "memory" }));
        Assert.That(int.Parse((string)pdb["spec"]!["minAvailable"]!, CultureInfo.InvariantCulture), Is.InRange(1, 2), "a PDB that allows no disruption blocks node drains");
        Assert.That(pod["topologySpreadConstraints"]!.AsArray().Select(t => (string?)t!["topologyKey"]),
            Is.EquivalentTo(new[] { "topology.kubernetes.io/zone", "kubernetes.io/hostname" }));

        var redis = container["env"]!.AsArray().Single(e => (string?)e!["name"] == "MCP_GATEWAY_REDIS_URL")!["valueFrom"]!["secretKeyRef"]!;
        var secret = Kustomize.Single(documents, "Secret", (string)redis["name"]!);
        Assert.That(secret["stringData"]![(string)redis["key"]!], Is.Not.Null, "the Secret holds the Redis URL the Deployment reads");
        Assert.That(secret["stringData"]!["api-keys.json"], Is.Not.Null, "the production patch keeps the API keys");
    }

    [TestCaseSource(nameof(Overlays))]
    public async Task Overlay_GracePeriod_CoversPreStopSleepDelayAndDrain(string overlay)
    {
        var deployment = Kustomize.Single(await Kustomize.RenderAsync(overlay), "Deployment");
        var container = Kustomize.GatewayContainer(deployment);
        var grace = int.Parse((string)deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!, CultureInfo.InvariantCulture);
        var sleep = int.Parse((string)container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!, CultureInfo.InvariantCulture);
        var drain = TimeSpan.Parse(Env(container, "MCP_GATEWAY_DRAIN_TIMEOUT"), CultureInfo.InvariantCulture);
        var delay = TimeSpan.Parse(Env(container, "MCP_GATEWAY_PRESTOP_DELAY"), CultureInfo.InvariantCulture);

        Assert.That(grace, Is.GreaterThan(sleep + (drain + delay).TotalSeconds));
        Assert.That((string?)container["readinessProbe"]!["httpGet"]!["path"], Is.EqualTo("/ready"));
        Assert.That((string?)container["livenessProbe"]!["httpGet"]!["path"], Is.EqualTo("/health"));
        Assert.That(container["resources"]!["limits"]!["memory"], Is.Not.Null, "the memory alert is a share of the limit");
    }

    internal static string Env(JsonObject container, string name) =>
        (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!["value"]
        ?? throw new AssertionException($"{name} has no literal value");

    private static IEnumerable<string?> EnvNames(JsonObject container) => container["env"]!.AsArray().Select(e => (string?)e!["name"]);
}
