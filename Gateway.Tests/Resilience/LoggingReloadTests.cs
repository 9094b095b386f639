using Gateway.Proxy.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Resilience;

/// <summary>Log levels in appsettings.json (section <c>Serilog:MinimumLevel</c>) apply live (the host loads it with reloadOnChange).</summary>
public sealed class LoggingReloadTests
{
    [Test]
    public async Task AppsettingsLogLevelEdit_AppliesWithoutRestart()
    {
        var root = Path.Combine(Path.GetTempPath(), "gateway-tests", "logging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var appsettings = Path.Combine(root, "appsettings.json");
        await File.WriteAllTextAsync(appsettings, Settings("Warning"));
        await File.WriteAllTextAsync(Path.Combine(root, "routes.json"), """{"ReverseProxy":{"Routes":{},"Clusters":{}}}""");
        try
        {
            await using var app = await GatewayApplication.CreateAsync(["--contentRoot", root, "--urls", "http://127.0.0.1:0"]);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Proxy.Tools.ToolCallDispatcher");
            Assert.That(logger.IsEnabled(LogLevel.Information), Is.False);

            await GatewayProbe.WriteAtomicallyAsync(appsettings, Settings("Information"));

            await GatewayProbe.EventuallyAsync(() => Task.FromResult(logger.IsEnabled(LogLevel.Information)), "the new level applies");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Settings(string level) => $$$"""{"Serilog":{"MinimumLevel":{"Default":"{{{level}}}"} } }""";
}
