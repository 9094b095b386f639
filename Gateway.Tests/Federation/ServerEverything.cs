using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// The MCP project's reference server, <c>@modelcontextprotocol/server-everything</c>, as installed by <c>npm ci</c> in
/// samples/federation (.ci/run does it).
/// </summary>
internal static class ServerEverything
{
    public static readonly string SampleDirectory = Path.Combine(SeedRoutes.RepositoryRoot, "samples", "federation");

    public static readonly string Script = Path.Combine(SampleDirectory, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

    /// <summary>Ignores the calling fixture, with how to install it, when the server is not installed.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(Script))
        {
            Assert.Ignore($"@modelcontextprotocol/server-everything is not installed: run (cd samples/federation && npm ci) (needs node and npm; .ci/run does it). Looked for {Script}.");
        }
    }
}
