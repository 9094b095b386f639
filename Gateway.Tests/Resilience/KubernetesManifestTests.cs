using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Operations;

namespace Gateway.Tests.Resilience;

/// <summary>
/// Offline checks of the files in <c>deploy/kubernetes</c> (no kubectl needed): every manifest parses as YAML with
/// apiVersion, kind and a name; every kustomization lists each manifest of its directory; and the routes ConfigMap
/// holds a routes.json the gateway accepts. The rendered overlays are checked in <see cref="KustomizeOverlayTests"/>.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string s_directory = Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "kubernetes");

    public static IEnumerable<string> Manifests() =>
        Directory.GetFiles(s_directory, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(s_directory, f)).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Kustomizations() => Manifests().Where(f => Path.GetFileName(f) == "kustomization.yaml");

    [TestCaseSource(nameof(Manifests))]
    public void Manifest_IsYamlWithApiVersionKindAndName(string file)
    {
        var documents = YamlDocuments.Parse(File.ReadAllText(Path.Combine(s_directory, file)));

        Assert.That(documents, Is.Not.Empty);
        foreach (var document in documents)
        {
            Assert.That((string?)document["apiVersion"], Is.Not.Null.And.Not.Empty);
            Assert.That((string?)document["kind"], Is.Not.Null.And.Not.Empty);
            if ((string?)document["kind"] != "Kustomization")
            {
                Assert.That((string?)document["metadata"]?["name"], Is.Not.Null.And.Not.Empty);
            }
        }
    }

    [TestCaseSource(nameof(Kustomizations))]
    public void Kustomization_ListsEveryManifestOfItsDirectory(string file)
    {
        var directory = Path.GetDirectoryName(Path.Combine(s_directory, file))!;
        var kustomization = YamlDocuments.ParseOne(File.ReadAllText(Path.Combine(s_directory, file)));
        var listed = Entries(kustomization["resources"]).Concat(Entries(kustomization["patches"]).Select(p => p)).ToHashSet(StringComparer.Ordinal);

        foreach (var manifest in Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml"))
        {
            Assert.That(listed, Does.Contain(manifest), $"{file} does not list {manifest}; kustomize would silently leave it out");
        }
    }

    [Test]
    public async Task RoutesConfigMap_HoldsARoutesFileTheGatewayAccepts()
    {
        var configMap = YamlDocuments.ParseOne(File.ReadAllText(Path.Combine(s_directory, "base", "configmap-routes.yaml")));
        var routes = (string)configMap["data"]!["routes.json"]!;

        await using var gateway = await TestGateway.StartAsync(routes);
        using var http = new HttpClient { BaseAddress = gateway.Address };
        var tools = await http.GetFromJsonAsync<JsonObject>("tools");

        Assert.That(tools!["tools"]!.AsArray(), Has.Count.EqualTo(9));
        Assert.That(routes, Does.Not.Contain("127.0.0.1"), "in the cluster, backends are Services, not loopback addresses");
    }

    private static IEnumerable<string> Entries(JsonNode? list) =>
        list?.AsArray().Select(e => e is JsonObject patch ? (string?)patch["path"] : (string?)e).OfType<string>() ?? [];
}
