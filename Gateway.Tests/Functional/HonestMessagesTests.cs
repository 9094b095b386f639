using System.Text.Json.Nodes;
using DemoBackends;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Functional;

/// <summary>One error vocabulary in results and audit lines, and the shipped log levels: quiet on success, loud on trouble.</summary>
public sealed class HonestMessagesTests
{
    [Test]
    public async Task Backend404_IsBackendRejected_InTheResultAndTheAuditLine()
    {
        await using var backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        await using var gateway = await TestGateway.StartAsync(SeedRoutes.For(backends));
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var result = await client.CallToolAsync("code_analyze", new Dictionary<string, object?> { ["path"] = "src/missing.py" });

        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.StartWith("BackendRejected:").And.Contain("HTTP 404"));
        var audit = Path.Combine(gateway.Directory, "logs", "audit.jsonl");
        JsonNode? line = null;
        await GatewayProbe.EventuallyAsync(async () =>
        {
            line = (await AuditLines.ReadAllAsync(audit)).Select(l => JsonNode.Parse(l)!).LastOrDefault(e => (string?)e["tool"] == "code_analyze");
            return line is not null;
        }, "the call is audited");
        Assert.That((string?)line!["error"], Is.EqualTo("BackendRejected"));
    }

    [Test]
    public async Task ShippedLogLevels_KeepTheSdkQuietOnSuccess_AndReportTrouble()
    {
        var minimum = JsonNode.Parse(File.ReadAllText(Path.Combine(SeedRoutes.RepositoryRoot, "appsettings.json")))!["Serilog"]!["MinimumLevel"]!;
        var levels = minimum["Override"]!.AsObject().ToDictionary(p => "Serilog:MinimumLevel:Override:" + p.Key, p => (string?)p.Value);
        levels["Serilog:MinimumLevel:Default"] = (string?)minimum["Default"];
        var logs = new RecordingLoggerProvider();
        await using var backend = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("b", backend.Address).Tool("t", "b", "POST /t").ToString(), configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(levels);
            builder.Logging.AddProvider(logs);
        });
        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null)))
        {
            for (var i = 0; i < 3; i++)
            {
                await client.ListToolsAsync();
                await client.CallToolAsync("t", new Dictionary<string, object?>());
            }
        }

        var sdk = logs.Records.Entries.Where(e => e.Category.StartsWith("ModelContextProtocol", StringComparison.Ordinal)).ToArray();
        Assert.That(sdk.Where(e => e.Level < LogLevel.Warning).Select(e => e.Message), Is.Empty, "successful calls log nothing from the SDK");
        Assert.That(levels["Serilog:MinimumLevel:Default"], Is.EqualTo("Information"), "the gateway's own events stay visible");

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, "{ not json");
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(logs.Records.Entries.Any(e => e.Level >= LogLevel.Warning && e.Message.Contains("routes.json", StringComparison.Ordinal))),
            "trouble is logged at Warning or above");
    }
}
