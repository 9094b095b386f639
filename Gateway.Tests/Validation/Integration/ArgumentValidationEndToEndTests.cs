using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DemoBackends;
using Gateway.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Validation.Integration;

/// <summary>The shipped routes.json's validators (Cypher on graph_query, paths on the code tools, argument limits) through a real MCP client.</summary>
public sealed class ArgumentValidationEndToEndTests
{
    private DemoBackendHost _backends = null!;
    private TestGateway _gateway = null!;
    private McpClient _client = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backends = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        var routes = JsonNode.Parse(SeedRoutes.For(_backends))!;
        routes["ReverseProxy"]!["Routes"]!["graph-api"] = JsonNode.Parse("""
            { "ClusterId": "ai-agents", "Match": { "Path": "/api/graph/{**rest}" },
              "Transforms": [ { "ValidateCypher": "query" }, { "PathPattern": "/v1/graph/{**rest}" } ] }
            """);
        _gateway = await TestGateway.StartAsync(routes.ToJsonString(), new Dictionary<string, string?> { ["Gateway:Limits:MaxDepth"] = "8" });
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint }, loggerFactory: null));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _client.DisposeAsync();
        await _gateway.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [TestCase("MATCH (n) DETACH DELETE n", "DETACH DELETE")]
    [TestCase("MATCH (n) CR\\u0045ATE (m)", "CREATE")]
    [TestCase("MATCH (n) RETURN n; MATCH (m) DELETE m", "multiple statements")]
    [TestCase("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV")]
    public async Task GraphQuery_WriteQuery_IsRefusedNamingClauseAndBackendIsNotCalled(string query, string clause)
    {
        var before = _backends.Faults.AiAgents.RequestCount;
        var result = await _client.CallToolAsync("graph_query", new Dictionary<string, object?> { ["query"] = query });
        var text = ((TextContentBlock)result.Content[0]).Text;

        Assert.That(result.IsError, Is.True);
        Assert.That(text, Does.StartWith("CypherValidationError").And.Contain(clause).IgnoreCase.And.Contain("column"));
        Assert.That(_backends.Faults.AiAgents.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task GraphQuery_ReadQueryContainingKeywordsAsData_IsAllowed()
    {
        var result = await _client.CallToolAsync("graph_query", new Dictionary<string, object?> { ["query"] = "MATCH (s:Service {name: 'DELETE'}) RETURN s.name" });
        Assert.That(result.IsError, Is.Not.True, ((TextContentBlock)result.Content[0]).Text);
    }

    [Test]
    public async Task GraphQuery_RefusalIsAuditedWithASecurityFlag()
    {
        await _client.CallToolAsync("graph_query", new Dictionary<string, object?> { ["query"] = "MERGE (x:Flag) RETURN x" });
        var path = Path.Combine(_gateway.Directory, "logs", "audit.jsonl");
        JsonNode? entry = null;
        for (var i = 0; i < 100 && entry is null; i++)
        {
            await Task.Delay(50);
            entry = File.Exists(path)
                ? File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!).LastOrDefault(e => (string?)e["error"] == "CypherValidationError")
                : null;
        }

        Assert.That(entry, Is.Not.Null);
        Assert.That(entry!["security_flags"]!.AsArray().Select(f => (string?)f), Does.Contain("cypher_rejected"));
    }

    [TestCase("../../etc/passwd")]
    [TestCase("/etc/passwd")]
    [TestCase("src/%2e%2e/%2e%2e/secret")]
    [TestCase("src/%252e%252e/x")]
    public async Task CodeAnalyze_PathOutsideTheRoot_IsRefused(string path)
    {
        var before = _backends.Faults.CodeOrchestrator.RequestCount;
        var result = await _client.CallToolAsync("code_analyze", new Dictionary<string, object?> { ["path"] = path });
        Assert.That(result.IsError, Is.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.StartWith("PathValidationError").And.Contain("'path'"));
        Assert.That(_backends.Faults.CodeOrchestrator.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task CodeAnalyze_DotSegmentsInsideTheRoot_AreCanonicalizedBeforeForwarding()
    {
        var result = await _client.CallToolAsync("code_analyze", new Dictionary<string, object?> { ["path"] = "/repo/docs/../src/./" });
        var text = ((TextContentBlock)result.Content[0]).Text;
        Assert.That(result.IsError, Is.Not.True, text);
        Assert.That((string?)JsonNode.Parse(text)!["path"], Is.EqualTo("src"));
    }

    [Test]
    public async Task PassthroughRoute_DeclaringValidateCypher_RefusesWritesWith400()
    {
        using var refused = await _http.PostAsJsonAsync("api/graph/query", new { query = "MATCH (n) SET n.x = 1" });
        var body = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)body!["error"], Is.EqualTo("CypherValidationError"));
        Assert.That((string?)body["data"]!["clause"], Is.EqualTo("SET"));

        using var allowed = await _http.PostAsJsonAsync("api/graph/query", new { query = "MATCH (n) RETURN count(n)" });
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await allowed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task DeeplyNestedArguments_AreAnIsErrorResultNamingTheLimit()
    {
        var nested = new Dictionary<string, object?> { ["a"] = new object[] { new object[] { new object[] { new object[] { new object[] { new object[] { new object[] { new object[] { 1 } } } } } } } } };
        var result = await _client.CallToolAsync("graph_query", new Dictionary<string, object?> { ["query"] = "MATCH (n) RETURN n", ["params"] = nested });
        Assert.That(result.IsError, Is.True);
        Assert.That(((TextContentBlock)result.Content[0]).Text, Does.StartWith("LimitExceeded").And.Contain("MaxDepth"));
        Assert.That((string?)result.Meta!["mcp-gateway/error"]!["limit"], Is.EqualTo("MaxDepth"));
    }
}
