using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;

namespace Gateway.Tests.Operations;

/// <summary>
/// What can be checked of deploy/docker/Dockerfile without a Docker engine: its publish command produces the
/// entrypoint dll, it runs as the Deployment's non-root user, exposes the Deployment's ports, and its HEALTHCHECK
/// command really checks a gateway.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string s_dockerfile = File.ReadAllText(Path.Combine(SeedRoutes.RepositoryRoot, "deploy", "docker", "Dockerfile"));

    [Test]
    public async Task GatewayStage_RunsAsTheDeploymentsNonRootUser_AndExposesItsPorts()
    {
        var stage = Stage("gateway");
        var container = Kustomize.GatewayContainer(Kustomize.Single(await Kustomize.RenderAsync("base"), "Deployment"));
        var deployment = Kustomize.Single(await Kustomize.RenderAsync("base"), "Deployment");
        var pod = deployment["spec"]!["template"]!["spec"]!["securityContext"]!;

        Assert.That(Instruction(stage, "USER"), Is.EqualTo($"{(string?)pod["runAsUser"]}:{(string?)pod["runAsGroup"]}"));
        Assert.That(Instruction(stage, "EXPOSE").Split(' '), Is.EquivalentTo(container["ports"]!.AsArray().Select(p => (string?)p!["containerPort"])));
        Assert.That(Instruction(Stage("demo-backends"), "USER"), Does.Not.StartWith("0").And.Not.StartWith("root"));
        Assert.That(Regex.Matches(s_dockerfile, @"(?m)^FROM (\S+)").Select(m => m.Groups[1].Value), Has.Some.StartsWith("mcr.microsoft.com/dotnet/sdk:").And.Some.StartsWith("mcr.microsoft.com/dotnet/aspnet:"));
        Assert.That(Regex.Match(s_dockerfile, @"(?m)^FROM .* AS (\S+)\s*$", RegexOptions.RightToLeft).Groups[1].Value, Is.EqualTo("gateway"), "the default target is the gateway");
    }

    [Test]
    public async Task PublishCommand_ProducesTheEntrypointDll_PrecompiledReadyToRun()
    {
        var publish = Regex.Match(s_dockerfile, @"dotnet publish Gateway\.Proxy/Gateway\.Proxy\.csproj (.+)").Groups[1].Value;
        var output = Path.Combine(Path.GetTempPath(), "gateway-tests", "publish-" + Guid.NewGuid().ToString("N"));
        var entrypoint = Regex.Match(Stage("gateway"), @"ENTRYPOINT \[""dotnet"", ""([^""]+)""\]").Groups[1].Value;
        Assert.That(publish, Does.Contain("-p:UseAppHost=false").And.Contain("-o /out/gateway").And.Contain("-p:PublishReadyToRun=true"));
        Assert.That(Stage("gateway"), Does.Contain("COPY --from=build /out/gateway ."));

        // The same arguments for this machine's architecture, restored and built by the publish itself (the Docker
        // build restores in its own layer first).
        var arguments = publish.Replace("\"$RID\"", "linux-x64", StringComparison.Ordinal)
            .Replace("-o /out/gateway", "-o " + output, StringComparison.Ordinal)
            .Replace("-p:SourceRevisionId=${SOURCE_COMMIT}", "", StringComparison.Ordinal)
            .Replace("--no-restore", "", StringComparison.Ordinal);
        try
        {
            var (exitCode, log) = await RunAsync("dotnet", $"publish Gateway.Proxy/Gateway.Proxy.csproj {arguments}");

            Assert.That(exitCode, Is.Zero, log);
            Assert.That(File.Exists(Path.Combine(output, entrypoint)), Is.True, $"{entrypoint} is not in the published output");
            Assert.That(File.Exists(Path.Combine(output, "appsettings.json")), Is.True);
            Assert.That(File.Exists(Path.Combine(output, "Gateway.Proxy")), Is.False, "UseAppHost=false: no native launcher");
            Assert.That(IsReadyToRun(Path.Combine(output, entrypoint)), Is.True, $"{entrypoint} carries no ReadyToRun code");
            Assert.That(IsReadyToRun(Path.Combine(output, "Yarp.ReverseProxy.dll")), Is.True, "the libraries are precompiled too");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Test]
    public void BuildStage_CopiesOnlyFilesThatExist()
    {
        var sources = Regex.Matches(Stage("build"), @"(?m)^COPY (?!--)(.+) \S+$")
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(source => source != ".")
            .ToArray();

        Assert.That(sources, Is.Not.Empty);
        Assert.That(sources.Where(source => !File.Exists(Path.Combine(SeedRoutes.RepositoryRoot, source))), Is.Empty,
            "the Docker build would fail: these COPY sources are not in the repository");
    }

    [Test]
    public async Task HealthCheckCommand_PassesAgainstAServingGateway_AndFailsWhenNothingAnswers()
    {
        var healthcheck = Regex.Match(Stage("gateway"), @"HEALTHCHECK .*CMD \[""dotnet"", ""Gateway\.Proxy\.dll"", ""([^""]+)""\]").Groups[1].Value;
        Assert.That(healthcheck, Is.EqualTo("healthcheck"));
        await using var gateway = await GatewayProcess.StartAsync(SeedRoutes.RepositoryRoot);
        var dll = Path.Combine(AppContext.BaseDirectory, "Gateway.Proxy.dll");

        var (healthy, healthyLog) = await RunAsync("dotnet", $"{dll} {healthcheck} --url {gateway.Address}health");
        var (unhealthy, unhealthyLog) = await RunAsync("dotnet", $"{dll} {healthcheck} --url http://127.0.0.1:{FreePort.Next()}/health");

        Assert.That(healthy, Is.Zero, healthyLog);
        Assert.That(unhealthy, Is.EqualTo(1));
        Assert.That(unhealthyLog, Does.Contain("unhealthy"));
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string Stage(string name)
    {
        var match = Regex.Match(s_dockerfile, $@"(?ms)^FROM \S+ AS {Regex.Escape(name)}\s*$(.*?)(?=^FROM |\z)");
        Assert.That(match.Success, Is.True, $"no stage '{name}'");
        return match.Groups[1].Value;
    }

    private static string Instruction(string stage, string instruction) =>
        Regex.Match(stage, $@"(?m)^{instruction} (.+)$").Groups[1].Value.Trim();

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = SeedRoutes.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
