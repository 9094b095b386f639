using System.Text.Json.Nodes;
using DemoBackends;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Functional;

/// <summary>The read Cypher models write, through the gateway's validator to the demo graph, with a real MCP client.</summary>
public sealed class GraphQueryEndToEndTests
{
    private DemoBackendHost _backends = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        _gateway = await TestGateway.StartAsync(SeedRoutes.For(_backends));
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [TestCase("MATCH (n) RETURN n LIMIT 3", null, "[\"n\"]", 3)]
    [TestCase("MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name", null, "[\"a.name\",\"type(r)\",\"b.name\"]", 18)]
    [TestCase("MATCH (s:Service) RETURN count(s)", null, "[\"count(s)\"]", 1)]
    [TestCase("MATCH (s:Service) WHERE s.tier = $tier OR s.language = 'go' RETURN s.name ORDER BY s.name", "core", "[\"s.name\"]", 3)]
    [TestCase("CALL db.labels()", null, "[\"label\"]", 4)]
    [TestCase("CALL db.relationshipTypes()", null, "[\"relationshipType\"]", 4)]
    public async Task ReadQueriesModelsWrite_AreAnswered(string query, string? tier, string columns, int rows)
    {
        var arguments = new Dictionary<string, object?> { ["query"] = query };
        if (tier is not null)
        {
            arguments["params"] = new Dictionary<string, object?> { ["tier"] = tier };
        }

        var result = await _client.CallToolAsync("graph_query", arguments);
        var text = ((TextContentBlock)result.Content[0]).Text;

        Assert.That(result.IsError, Is.Not.True, text);
        var body = JsonNode.Parse(text)!;
        Assert.That(body["columns"]!.ToJsonString(), Is.EqualTo(columns));
        Assert.That(body["rows"]!.AsArray(), Has.Count.EqualTo(rows));
    }

    [TestCase("OPTIONAL MATCH (s:Service) RETURN s.name", "OPTIONAL")]
    [TestCase("CALL db.schema.visualization()", "db.schema.visualization")]
    [TestCase("MATCH (a:Service)-[:DEPENDS_ON*1..2]->(b) RETURN b.name", "Variable-length")]
    public async Task QueryTheGatewayAllowsButTheDemoCannotRun_SaysSo(string query, string names)
    {
        var result = await _client.CallToolAsync("graph_query", new Dictionary<string, object?> { ["query"] = query });
        var text = ((TextContentBlock)result.Content[0]).Text;

        Assert.That(result.IsError, Is.True);
        Assert.That(text, Does.StartWith("BackendRejected: tool 'graph_query' was rejected by backend 'ai-agents' (HTTP 400): unsupported_query")
            .And.Contain(names).And.Contain("demo"));
    }
}
