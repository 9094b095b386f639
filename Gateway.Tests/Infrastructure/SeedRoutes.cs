using System.Text.Json.Nodes;
using DemoBackends;

namespace Gateway.Tests.Infrastructure;

/// <summary>The repository's own routes.json, pointed at demo backends started by a test.</summary>
public static class SeedRoutes
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Load() => File.ReadAllText(Path.Combine(RepositoryRoot, "routes.json"));

    public static string For(DemoBackendHost backends)
    {
        var root = JsonNode.Parse(Load(), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        var clusters = root["ReverseProxy"]!["Clusters"]!.AsObject();
        foreach (var (clusterId, cluster) in clusters)
        {
            foreach (var (_, destination) in cluster!["Destinations"]!.AsObject())
            {
                destination!["Address"] = backends.AddressOf(clusterId).ToString();
            }
        }

        return root.ToJsonString();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGateway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (McpGateway.slnx) above " + AppContext.BaseDirectory);
    }
}
