using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Gateway.Tests.Security;

namespace Gateway.Tests.Operations;

/// <summary>
/// Each overlay's Deployment starts as shipped: the real gateway binary runs with the rendered container's exact
/// environment (env, envFrom ConfigMaps, Secret references) and its mounted ConfigMap and Secret files. Only what is
/// host-specific is rewritten: mount paths to temp directories, ports to free ones, the IdP's URLs to a local
/// JWKS server, the backends' and Redis's cluster addresses to local ones.
/// </summary>
public sealed partial class DeploymentStartupTests
{
    public static IEnumerable<string> Overlays() => Kustomize.Overlays;

    [TestCaseSource(nameof(Overlays))]
    public async Task Deployment_StartsAsShipped_AndAnswersHealthReadyAndMetrics(string overlay)
    {
        var documents = await Kustomize.RenderAsync(overlay);
        var deployment = Kustomize.Single(documents, "Deployment");
        var container = Kustomize.GatewayContainer(deployment);
        await using var idp = await TestIdentityProvider.StartAsync(TestSigningKey.Rsa("rsa-1"));
        await using var backend = await TestBackend.StartEchoAsync();
        var root = Path.Combine(Path.GetTempPath(), "gateway-tests", "pod-" + Guid.NewGuid().ToString("N"));
        try
        {
            var mounts = MountVolumes(documents, deployment, container, root, backend.Address);
            var environment = ContainerEnvironment(documents, container);
            Assert.That(environment["MCP_GATEWAY_HOST"], Is.EqualTo("0.0.0.0"), "the pod listens on every address, so auth must be on");

            var port = FreePort.Next();
            var managementPort = FreePort.Next();
            foreach (var (name, value) in environment)
            {
                var mountPath = mounts.Keys.Where(m => value.StartsWith(m + "/", StringComparison.Ordinal)).MaxBy(m => m.Length);
                if (mountPath is not null)
                {
                    environment[name] = mounts[mountPath] + value[mountPath.Length..];
                }
            }

            environment["MCP_GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture);
            environment["MCP_GATEWAY_MANAGEMENT_PORT"] = managementPort.ToString(CultureInfo.InvariantCulture);
            environment["MCP_GATEWAY_OIDC_ISSUER"] = idp.Issuer;
            environment["MCP_GATEWAY_OIDC_JWKS_URL"] = idp.JwksUrl;
            if (environment.ContainsKey("MCP_GATEWAY_REDIS_URL"))
            {
                environment["MCP_GATEWAY_REDIS_URL"] = $"redis://127.0.0.1:{FreePort.Next()}";
            }

            await using var gateway = await GatewayProcess.StartWithEnvironmentAsync(AppContext.BaseDirectory, environment, new Uri($"http://127.0.0.1:{port}/"));
            using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(5) };

            // Anonymous callers on the MCP port learn the status only; the management port (operators) also the version.
            var anonymousHealth = JsonNode.Parse(await http.GetStringAsync("health"))!;
            Assert.That((string?)anonymousHealth["status"], Is.EqualTo("healthy"));
            Assert.That(anonymousHealth["version"], Is.Null);
            using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/"), Timeout = TimeSpan.FromSeconds(5) };
            var health = JsonNode.Parse(await management.GetStringAsync("health"))!;
            Assert.That((string?)health["version"], Is.EqualTo(ProjectVersion.Value));
            var started = DateTime.UtcNow;
            var ready = await WaitForReadyAsync(http);
            TestContext.Out.WriteLine($"ready after {(DateTime.UtcNow - started).TotalSeconds:F1} s: {ready.Body}");
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.OK), ready.Body + Environment.NewLine + gateway.Output);
            Assert.That(JsonNode.Parse(ready.Body)!["checks"]!["oidc_signing_keys"]!.ToJsonString(), Does.Contain("healthy").And.Not.Contain("degraded"),
                "the JWKS from the ConfigMap's (rewritten) URL was fetched: " + ready.Body + gateway.Output);

            var (metrics, servedBy) = await ScrapeAsync(http, managementPort);
            TestContext.Out.WriteLine($"/metrics answered on the {servedBy} port");
            Assert.That(metrics, Does.Match($@"(?m)^mcp_gateway_build_info\{{[^}}]*version=""{Regex.Escape(ProjectVersion.Value)}""[^}}]*\}} 1$"));
            Assert.That(metrics, Does.Match(@"(?m)^mcp_idp_jwks_up(\{\})? 1$"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> WaitForReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var response = await http.GetAsync("ready");
            var body = await response.Content.ReadAsStringAsync();
            if ((response.StatusCode == HttpStatusCode.OK && !body.Contains("degraded", StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>/metrics from the management port when the gateway listens there, else from the main port.</summary>
    private static async Task<(string Text, string Port)> ScrapeAsync(HttpClient http, int managementPort)
    {
        try
        {
            using var management = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await management.GetAsync($"http://127.0.0.1:{managementPort}/metrics");
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadAsStringAsync(), "management");
            }
        }
        catch (HttpRequestException)
        {
        }

        return (await http.GetStringAsync("metrics"), "main");
    }

    /// <summary>The container's environment as the kubelet builds it: envFrom ConfigMaps first, then env (values and Secret/ConfigMap references).</summary>
    private static Dictionary<string, string> ContainerEnvironment(List<JsonObject> documents, JsonObject container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var configMap = Kustomize.Single(documents, "ConfigMap", (string)source!["configMapRef"]!["name"]!);
            foreach (var (name, value) in configMap["data"]!.AsObject())
            {
                environment[name] = (string)value!;
            }
        }

        foreach (var variable in container["env"]!.AsArray())
        {
            var name = (string)variable!["name"]!;
            environment[name] = variable["value"] is { } value ? (string)value!
                : variable["valueFrom"]?["secretKeyRef"] is { } secretRef ? (string)Kustomize.Single(documents, "Secret", (string)secretRef["name"]!)["stringData"]![(string)secretRef["key"]!]!
                : variable["valueFrom"]?["configMapKeyRef"] is { } configRef ? (string)Kustomize.Single(documents, "ConfigMap", (string)configRef["name"]!)["data"]![(string)configRef["key"]!]!
                : throw new AssertionException($"env {name} has a source this test does not model");
        }

        return environment;
    }

    /// <summary>Writes each mounted ConfigMap and Secret into a temp directory; returns mount path → directory.</summary>
    private static Dictionary<string, string> MountVolumes(List<JsonObject> documents, JsonObject deployment, JsonObject container, string root, Uri backend)
    {
        var volumes = deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (JsonObject)v!);
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container["volumeMounts"]!.AsArray())
        {
            var name = (string)mount!["name"]!;
            var directory = Path.Combine(root, name);
            Directory.CreateDirectory(directory);
            mounts[(string)mount["mountPath"]!] = directory;
            var volume = volumes[name];
            var files = volume["configMap"] is { } configMap ? Kustomize.Single(documents, "ConfigMap", (string)configMap["name"]!)["data"]!.AsObject()
                : volume["secret"] is { } secret ? Kustomize.Single(documents, "Secret", (string)secret["secretName"]!)["stringData"]!.AsObject()
                : null;
            foreach (var (file, content) in files ?? [])
            {
                // The backends are cluster Services; here they are one local echo server.
                File.WriteAllText(Path.Combine(directory, file), ClusterServiceUrl().Replace((string)content!, backend.ToString()));
            }
        }

        return mounts;
    }

    [GeneratedRegex(@"http://[a-z0-9.-]+\.svc\.cluster\.local:\d+/")]
    private static partial Regex ClusterServiceUrl();
}
