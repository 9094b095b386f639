using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// A Stdio upstream: <c>@modelcontextprotocol/server-everything</c> in stdio mode (from samples/federation's
/// node_modules), started, supervised and restarted by the gateway.
/// </summary>
[NonParallelizable]
public sealed class StdioUpstreamTests
{
    private static readonly string SampleDirectory = ServerEverything.SampleDirectory;
    private static readonly string ServerScript = ServerEverything.Script;
    private const string GatewaySecret = "GATEWAY_TEST_STDIO_PARENT_SECRET";

    private readonly string _marker = Guid.NewGuid().ToString("N");
    private TestGateway _gateway = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ServerEverything.RequireInstalled();

        Environment.SetEnvironmentVariable(GatewaySecret, "must-not-leak");
        var entry = new JsonObject
        {
            ["Transport"] = "Stdio",
            ["Command"] = "node",
            ["Arguments"] = new JsonArray(ServerScript, "stdio"),
            ["Environment"] = new JsonObject { ["GATEWAY_STDIO_MARKER"] = _marker },
            ["WorkingDirectory"] = SampleDirectory,
            ["ToolNames"] = new JsonObject { ["Namespace"] = "local" },
        };
        _gateway = await TestGateway.StartAsync(FederatedRoutes.With(new RoutesJson(), ("local", new Uri("http://127.0.0.1:9/"), entry.ToJsonString())),
            new Dictionary<string, string?> { ["Gateway:Federation:ConnectTimeout"] = "00:00:30" });
        await FederatedRoutes.WaitForToolAsync(_gateway.Services, "local__echo");
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Environment.SetEnvironmentVariable(GatewaySecret, null);
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [Test]
    public async Task Tools_AreListedAndCalled_WithTheConfiguredEnvironmentOnly_InTheWorkingDirectory()
    {
        var tools = (await _client.ListToolsAsync()).Select(t => t.Name).ToList();
        var echo = await _client.CallToolAsync("local__echo", new Dictionary<string, object?> { ["message"] = "over stdio" });
        var environment = ((TextContentBlock)(await _client.CallToolAsync("local__get-env")).Content[0]).Text;
        var process = ServerProcess();

        Assert.Multiple(() =>
        {
            Assert.That(tools, Does.Contain("local__echo").And.Contain("local__get-env"));
            Assert.That(((TextContentBlock)echo.Content[0]).Text, Does.Contain("over stdio"));
            Assert.That(environment, Does.Contain(_marker), "the configured Environment reaches the process");
            Assert.That(environment, Does.Not.Contain(GatewaySecret), "the gateway's own environment is not inherited");
            Assert.That(process, Is.Not.Null, "the process runs with the marker");
            Assert.That(Path.GetFullPath(new DirectoryInfo($"/proc/{process!.Id}/cwd").ResolveLinkTarget(true)!.FullName), Is.EqualTo(Path.GetFullPath(SampleDirectory)));
        });
    }

    [Test]
    public async Task KilledProcess_IsRestarted_AndCallsSucceedAgain()
    {
        var first = ServerProcess() ?? throw new AssertionException("the server process is not running");
        var firstId = first.Id;
        first.Kill();
        await first.WaitForExitAsync();

        var deadline = Stopwatch.StartNew();
        CallToolResult result;
        do
        {
            await Task.Delay(200);
            result = await _client.CallToolAsync("local__echo", new Dictionary<string, object?> { ["message"] = "after restart" });
        }
        while (result.IsError == true && deadline.Elapsed < TimeSpan.FromSeconds(30));

        var second = ServerProcess();
        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.Not.True, ((TextContentBlock)result.Content[0]).Text);
            Assert.That(((TextContentBlock)result.Content[0]).Text, Does.Contain("after restart"));
            Assert.That(second, Is.Not.Null);
            Assert.That(second!.Id, Is.Not.EqualTo(firstId), "a new process");
        });
    }

    /// <summary>The node process the gateway started for this test (found by the marker in its environment).</summary>
    private Process? ServerProcess()
    {
        foreach (var process in Process.GetProcessesByName("node"))
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/environ").Contains("GATEWAY_STDIO_MARKER=" + _marker, StringComparison.Ordinal))
                {
                    return process;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process exited or is not ours.
            }
        }

        return null;
    }
}
