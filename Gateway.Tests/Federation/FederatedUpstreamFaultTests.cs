using System.Diagnostics;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>An upstream that dies while a federated call runs: the call ends with a clean error, the next ones reconnect.</summary>
[NonParallelizable]
public sealed class FederatedUpstreamFaultTests
{
    [Test]
    public async Task UpstreamKilledMidCall_EndsTheCallWithBackendUnavailable_AndANewProcessServesTheNextCall()
    {
        ServerEverything.RequireInstalled();
        var port = FreePort.Next();
        var server = Start(port);
        try
        {
            await using var gateway = await TestGateway.StartAsync(
                FederatedRoutes.With(new RoutesJson(), ("everything", new Uri($"http://127.0.0.1:{port}/"), """{ "Path": "/mcp" }""")));
            await FederatedRoutes.WaitForToolAsync(gateway.Services, "everything__trigger-long-running-operation");
            await using var client = await McpClient.CreateAsync(
                new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null),
                new McpClientOptions { ProtocolVersion = "2025-11-25" });

            var call = client.CallToolAsync("everything__trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 20, ["steps"] = 2 });
            await Task.Delay(1000);
            server.Kill(entireProcessTree: true);
            var failed = await call.AsTask().WaitAsync(TimeSpan.FromSeconds(15));

            server.Dispose();
            server = Start(port);
            var next = await CallWhenUpAsync(client);

            Assert.Multiple(() =>
            {
                Assert.That(failed.IsError, Is.True);
                Assert.That(((TextContentBlock)failed.Content[0]).Text, Does.StartWith("BackendUnavailable:").And.Contain("'everything'").And.Contain("Retry later"));
                Assert.That(((TextContentBlock)next.Content[0]).Text, Does.Contain("after the restart"));
            });
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
        }
    }

    private static async Task<CallToolResult> CallWhenUpAsync(McpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var result = await client.CallToolAsync("everything__echo", new Dictionary<string, object?> { ["message"] = "after the restart" });
            if (result.IsError != true || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(200);
        }
    }

    private static Process Start(int port)
    {
        var process = Process.Start(new ProcessStartInfo("node", [ServerEverything.Script, "streamableHttp"])
        {
            WorkingDirectory = ServerEverything.SampleDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
