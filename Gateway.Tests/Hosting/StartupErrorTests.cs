using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The real binary started with a setting it cannot use: exit code 1 and one message on standard error naming the
/// setting, never an unhandled exception with a stack trace (exit code 134).
/// </summary>
public sealed class StartupErrorTests
{
    public static IEnumerable<TestCaseData> BadSettings()
    {
        yield return new TestCaseData("MCP_GATEWAY_PORT", "abc", "MCP_GATEWAY_PORT is 'abc'").SetName("Port_NotANumber");
        yield return new TestCaseData("MCP_GATEWAY_MANAGEMENT_PORT", "-5", "Gateway:Management:Port (MCP_GATEWAY_MANAGEMENT_PORT) is -5").SetName("ManagementPort_Negative");
        yield return new TestCaseData("MCP_GATEWAY_AUTH_ENABLED", "maybe", "'maybe' at 'Gateway:Auth:Enabled'").SetName("AuthEnabled_NotABoolean");
        yield return new TestCaseData("MCP_GATEWAY_HOST", "0.0.0.0", "Authentication is off").SetName("AuthOff_OnEveryAddress");
        yield return new TestCaseData("MCP_GATEWAY_ROUTES_PATH", "/nonexistent/routes.json", "cannot read '/nonexistent/routes.json'").SetName("RoutesFile_Missing");
        yield return new TestCaseData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318", "OTEL_EXPORTER_OTLP_ENDPOINT is 'collector:4318'").SetName("OtlpEndpoint_NotAnHttpUrl");
        yield return new TestCaseData("MCP_GATEWAY_LOG_FORMAT", "xml", "MCP_GATEWAY_LOG_FORMAT (Gateway:Logging:Format) is 'xml'").SetName("LogFormat_Unknown");
        yield return new TestCaseData("MCP_GATEWAY_LOG_LEVEL", "loud", "MCP_GATEWAY_LOG_LEVEL (Serilog:MinimumLevel:Default) is 'loud'").SetName("LogLevel_Unknown");
        yield return new TestCaseData("MCP_GATEWAY_LOG_LEVEL", "", "MCP_GATEWAY_LOG_LEVEL (Serilog:MinimumLevel:Default) is empty").SetName("LogLevel_Empty");
        yield return new TestCaseData("Serilog__MinimumLevel__Override__Yarp", "chatty", "Serilog:MinimumLevel:Override:Yarp is 'chatty'").SetName("LogLevelOverride_Unknown");
        yield return new TestCaseData("Serilog__MinimumLevel", "2", "Serilog:MinimumLevel is '2'").SetName("LogLevelShortForm_Number");
    }

    [TestCaseSource(nameof(BadSettings))]
    public async Task BadSetting_ExitsWithCode1AndOneMessage(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string> { [variable] = value };
        if (variable != "MCP_GATEWAY_PORT" && variable != "MCP_GATEWAY_HOST")
        {
            environment["MCP_GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        }

        var (exitCode, error) = await RunToExitAsync(environment);

        Assert.That(exitCode, Is.EqualTo(1), error);
        Assert.That(error, Does.StartWith("mcp-gateway cannot start: ").And.Contain(expected));
        Assert.That(error, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task PortInUse_ExitsWithCode1AndSaysWhatToChange()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var (exitCode, error) = await RunToExitAsync(new Dictionary<string, string> { ["MCP_GATEWAY_PORT"] = port.ToString(CultureInfo.InvariantCulture) });

        Assert.That(exitCode, Is.EqualTo(1), error);
        Assert.That(error, Does.Contain("address already in use").And.Contain("MCP_GATEWAY_PORT"));
        Assert.That(error, Does.Not.Contain("Unhandled exception"));
    }

    /// <summary>Runs <c>dotnet Gateway.Proxy.dll</c> until it exits; returns its exit code and standard error.</summary>
    private static async Task<(int ExitCode, string Error)> RunToExitAsync(IReadOnlyDictionary<string, string> environment)
    {
        var (exitCode, _, error) = await GatewayBinary.RunToExitAsync([], environment, TimeSpan.FromSeconds(60));
        return (exitCode, error);
    }
}
