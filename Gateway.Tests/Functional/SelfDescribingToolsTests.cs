using System.Text.Json;
using System.Text.Json.Nodes;
using DemoBackends;
using DemoBackends.AiAgents.Agents;
using DemoBackends.AiAgents.Graph;
using DemoBackends.CodeOrchestrator;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Functional;

/// <summary>
/// The seed tools name their closed sets in tools/list (agents, functions per agent, audit patterns, the graph's
/// schema), taken from what the demo backends really accept, and a value outside a set is an isError result listing it.
/// </summary>
public sealed class SelfDescribingToolsTests
{
    private DemoBackendHost _backends = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;
    private Dictionary<string, Tool> _tools = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        _gateway = await TestGateway.StartAsync(SeedRoutes.For(_backends));
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
        _tools = (await _client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [TestCase("agent_execute")]
    [TestCase("run_agent_function")]
    public void Agents_AreTheDemosAgents_EachWithADescription(string tool)
    {
        var agent = Property(tool, "agent");
        Assert.That(Constants(agent), Is.EquivalentTo(AgentCatalog.Agents));
        Assert.That(agent["oneOf"]!.AsArray().Select(a => (string?)a!["description"]), Has.All.Not.Empty);
    }

    [Test]
    public void Functions_AreEveryAgentsFunctions_AndThePairsAreConstrained()
    {
        var all = AgentCatalog.Agents.SelectMany(AgentCatalog.FunctionsOf).ToArray();
        Assert.That(Constants(Property("run_agent_function", "function")), Is.EquivalentTo(all));

        var pairs = Schema("run_agent_function")["anyOf"]!.AsArray()
            .ToDictionary(b => (string)b!["properties"]!["agent"]!["const"]!, b => FunctionsIn(b!["properties"]!["function"]!));
        foreach (var agent in AgentCatalog.Agents)
        {
            Assert.That(pairs[agent], Is.EquivalentTo(AgentCatalog.FunctionsOf(agent)), agent);
        }
    }

    [Test]
    public void AuditPatterns_AreTheDemosPatterns_EachWithADescription()
    {
        var items = Property("code_pattern_audit", "patterns")["items"]!;
        Assert.That(Constants(items), Is.EquivalentTo(AuditPatterns.All));
        Assert.That(items["oneOf"]!.AsArray().Select(a => (string?)a!["description"]), Has.All.Not.Empty);
    }

    [Test]
    public void GraphQueryDescription_NamesEveryLabelRelationshipTypeAndProperty()
    {
        var graph = DemoGraph.Create();
        var description = _tools["graph_query"].Description!;
        foreach (var node in graph.Nodes)
        {
            Assert.That(description, Does.Contain($"(:{node.Label} {{"));
            foreach (var property in node.Properties.Keys)
            {
                Assert.That(description, Does.Match($@"\(:{node.Label} \{{[^}}]*\b{property}\b"), $"{node.Label}.{property}");
            }
        }

        foreach (var edge in graph.Edges)
        {
            Assert.That(description, Does.Contain($"(:{edge.From.Label})-[:{edge.Type}]->(:{edge.To.Label})"));
        }
    }

    [Test]
    public async Task UnknownAgent_IsAnIsErrorResultListingTheAgents_AndNeverReachesTheBackend()
    {
        var before = _backends.Faults.AiAgents.RequestCount;
        var result = await _client.CallToolAsync("agent_execute", new Dictionary<string, object?> { ["agent"] = "ghost", ["task"] = "t" });

        Assert.That(result.IsError, Is.True);
        Assert.That(Text(result), Does.Contain("argument 'agent'").And.Contain("'analyst'").And.Contain("'planner'"));
        Assert.That(_backends.Faults.AiAgents.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task FunctionOfAnotherAgent_IsAnIsErrorResultNamingTheValidPairs()
    {
        var result = await _client.CallToolAsync("run_agent_function", new Dictionary<string, object?> { ["agent"] = "planner", ["function"] = "summarize" });

        Assert.That(result.IsError, Is.True);
        Assert.That(Text(result), Does.Contain("agent 'planner' with function 'plan'").And.Contain("agent 'analyst' with function word_count, summarize or extract_keywords"));
    }

    [Test]
    public async Task UnknownPattern_IsAnIsErrorResultListingThePatterns()
    {
        var result = await _client.CallToolAsync("code_pattern_audit", new Dictionary<string, object?> { ["path"] = "src", ["patterns"] = new[] { "secrets" } });

        Assert.That(result.IsError, Is.True);
        Assert.That(Text(result), Does.Contain("'hardcoded-secret'").And.Contain("'sql-concat'"));
    }

    [Test]
    public async Task ValidCallsWithEveryListedValue_AreAcceptedByTheBackend()
    {
        foreach (var agent in AgentCatalog.Agents)
        {
            foreach (var function in AgentCatalog.FunctionsOf(agent))
            {
                var result = await _client.CallToolAsync("run_agent_function", new Dictionary<string, object?>
                {
                    ["agent"] = agent, ["function"] = function,
                    ["arguments"] = new Dictionary<string, object?> { ["text"] = "One sentence. Two.", ["goal"] = "ship it" },
                });
                Assert.That(result.IsError, Is.Not.True, $"{agent}/{function}: {Text(result)}");
            }
        }

        var audit = await _client.CallToolAsync("code_pattern_audit", new Dictionary<string, object?> { ["path"] = "src", ["patterns"] = AuditPatterns.All.ToArray() });
        Assert.That(audit.IsError, Is.Not.True, Text(audit));
    }

    private JsonObject Schema(string tool) => JsonNode.Parse(_tools[tool].InputSchema.GetRawText())!.AsObject();

    private JsonNode Property(string tool, string name) => Schema(tool)["properties"]![name]!;

    private static string[] Constants(JsonNode schema) => schema["oneOf"]!.AsArray().Select(a => (string)a!["const"]!).ToArray();

    private static string[] FunctionsIn(JsonNode schema) =>
        schema["enum"] is JsonArray values ? values.Select(v => (string)v!).ToArray() : [(string)schema["const"]!];

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;
}
