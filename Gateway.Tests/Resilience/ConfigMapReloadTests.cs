using System.Runtime.InteropServices;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Resilience;

/// <summary>
/// A Kubernetes ConfigMap volume: <c>routes.json -> ..data/routes.json</c>, <c>..data -> ..&lt;timestamp&gt;</c>; an
/// update writes a new timestamped directory and renames a fresh <c>..data_tmp</c> link over <c>..data</c>.
/// </summary>
[Platform(Exclude = "Win")]
public sealed class ConfigMapReloadTests
{
    [Test]
    public async Task SymlinkSwap_NewRoutesApplyWithoutRestart()
    {
        await using var backend = await FaultyBackend.StartAsync();
        var volume = Path.Combine(Path.GetTempPath(), "gateway-tests", "configmap-" + Guid.NewGuid().ToString("N"));
        var first = new RoutesJson().Cluster("main", backend.Address).Tool("tool", "main", "POST /work").ToString();
        var firstVersion = WriteVersion(volume, "..2026_11_21_10_00_00.000000001", first);
        Directory.CreateSymbolicLink(Path.Combine(volume, "..data"), Path.GetFileName(firstVersion));
        File.CreateSymbolicLink(Path.Combine(volume, "routes.json"), Path.Combine("..data", "routes.json"));
        try
        {
            await using var gateway = await TestGateway.StartAsync(first, new Dictionary<string, string?>
            {
                ["Gateway:RoutesPath"] = Path.Combine(volume, "routes.json"),
                ["Gateway:RoutesPollInterval"] = "00:00:05",
            });
            using var http = new HttpClient { BaseAddress = gateway.Address };

            var second = new RoutesJson().Cluster("main", backend.Address).Tool("tool", "main", "POST /work").Tool("fresh", "main", "POST /fresh").ToString();
            var secondVersion = WriteVersion(volume, "..2026_11_21_10_05_00.000000002", second);
            Directory.CreateSymbolicLink(Path.Combine(volume, "..data_tmp"), Path.GetFileName(secondVersion));
            Rename(Path.Combine(volume, "..data_tmp"), Path.Combine(volume, "..data"));
            Directory.Delete(firstVersion, recursive: true);

            await GatewayProbe.EventuallyAsync(async () => (await ConfigReloadTests.ToolNamesAsync(http)).Contains("fresh"), "the swapped routes.json is applied", TimeSpan.FromSeconds(4));
            Assert.That((await GatewayProbe.CallToolTextAsync(http, "fresh")).Status, Is.EqualTo(200));
            Assert.That((await GatewayProbe.CallToolTextAsync(http, "tool")).Status, Is.EqualTo(200));
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    private static string WriteVersion(string volume, string name, string routes)
    {
        var directory = Path.Combine(volume, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "routes.json"), routes);
        return directory;
    }

    // rename(2) replaces the ..data link atomically, exactly as the kubelet does; File.Move would follow the link.
    private static void Rename(string from, string to)
    {
        if (NativeMethods.rename(from, to) != 0)
        {
            throw new IOException($"rename {from} -> {to} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SA1300, IDE1006 // the libc name
        public static extern int rename(string oldPath, string newPath);
#pragma warning restore SA1300, IDE1006
    }
}
