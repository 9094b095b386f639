using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>
/// Renders <c>deploy/kubernetes</c> overlays with <c>kubectl kustomize</c> (offline). Tests that need it are ignored
/// with the reason when kubectl is missing or embeds a kustomize older than v4.
/// </summary>
internal static partial class Kustomize
{
    public static readonly string DeployDirectory = Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "kubernetes");

    public static readonly string[] Overlays = ["base", "overlays/dev", "overlays/production"];

    private static readonly ConcurrentDictionary<string, Task<List<JsonObject>>> s_rendered = new(StringComparer.Ordinal);
    private static readonly Lazy<Task<string?>> s_unavailable = new(FindProblemAsync);

    public static async Task<List<JsonObject>> RenderAsync(string overlay)
    {
        if (await s_unavailable.Value is { } problem)
        {
            Assert.Ignore(problem);
        }

        var documents = await s_rendered.GetOrAdd(overlay, static async o =>
        {
            var (exitCode, output, error) = await RunAsync("kustomize", Path.Combine(DeployDirectory, o));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"kubectl kustomize {o} failed ({exitCode}): {error}");
            }

            return YamlDocuments.Parse(output);
        });

        // Each caller gets its own copy to read and rewrite.
        return documents.Select(d => (JsonObject)d.DeepClone()).ToList();
    }

    public static JsonObject Single(IEnumerable<JsonObject> documents, string kind, string name = "mcp-gateway") =>
        documents.Single(d => (string?)d["kind"] == kind && (string?)d["metadata"]!["name"] == name);

    public static JsonObject? Find(IEnumerable<JsonObject> documents, string kind, string name = "mcp-gateway") =>
        documents.SingleOrDefault(d => (string?)d["kind"] == kind && (string?)d["metadata"]!["name"] == name);

    public static JsonObject GatewayContainer(JsonObject deployment) =>
        (JsonObject)deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == "gateway")!;

    private static async Task<string?> FindProblemAsync()
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "kubectl"))
            .FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            return "kubectl is not on PATH; install it (apt-get install kubectl from pkgs.k8s.io, or any kubectl 1.21+) to render the kustomize overlays.";
        }

        var (exitCode, output, error) = await RunAsync("version", "--client");
        var version = KustomizeVersion().Match(output);
        if (exitCode != 0 || !version.Success)
        {
            return $"'kubectl version --client' did not report a kustomize version ({error.Trim()}); use kubectl 1.21+.";
        }

        return int.Parse(version.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 4
            ? $"kubectl embeds kustomize {version.Value}; the overlays need kustomize v4+ (kubectl 1.21+)."
            : null;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"Kustomize Version: v(\d+)\.\d+\.\d+")]
    private static partial Regex KustomizeVersion();
}
