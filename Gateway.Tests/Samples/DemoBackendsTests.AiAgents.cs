using System.Net;
using DemoBackends;

namespace Gateway.Tests.Samples;

public sealed partial class DemoBackendsTests
{
    public static IEnumerable<TestCaseData> GraphQueries()
    {
        yield return new TestCaseData(
            """{"query":"MATCH (t:Team {name: $team})-[:OWNS]->(s:Service) RETURN t.name, s.name","params":{"team":"ml"}}""",
            """["t.name","s.name"]""",
            """[["ml","semantic-search"],["ml","ai-agents"]]""").SetName("GraphQuery_RelationshipWithParameter_ReturnsOwnedServices");
        yield return new TestCaseData(
            """{"query":"MATCH (i:Incident)-[:AFFECTED]->(s:Service) WHERE i.severity = 'high' RETURN i.id, s.name LIMIT 2"}""",
            """["i.id","s.name"]""",
            """[["INC-1","mcp-gateway"],["INC-3","redis"]]""").SetName("GraphQuery_WhereAndLimit_FiltersThenCuts");
        yield return new TestCaseData(
            """{"query":"MATCH (a:Service {name: 'mcp-gateway'})-[:DEPENDS_ON]->(b:Service) WHERE b.tier = 'core' RETURN b.name"}""",
            """["b.name"]""",
            """[["semantic-search"],["ai-agents"],["code-orchestrator"]]""").SetName("GraphQuery_WhereOnEndNode_FiltersDependencies");
        yield return new TestCaseData(
            """{"query":"MATCH (p:Person)-[:MEMBER_OF]->(t:Team {name: 'platform'}) RETURN p.name, p.role"}""",
            """["p.name","p.role"]""",
            """[["alice","lead"],["bob","engineer"]]""").SetName("GraphQuery_PropertyMapOnEndNode_MatchesMembers");
        yield return new TestCaseData(
            """{"query":"MATCH (n) RETURN count(n)"}""",
            """["count(n)"]""",
            """[[15]]""").SetName("GraphQuery_CountAllNodes_ReturnsFifteen");
        yield return new TestCaseData(
            """{"query":"MATCH (i:Incident)-[:AFFECTED]->(s:Service {name: 'mcp-gateway'}) RETURN count(i)"}""",
            """["count(i)"]""",
            """[[2]]""").SetName("GraphQuery_CountOverRelationship_CountsMatches");
        yield return new TestCaseData(
            """{"query":"match (t:Team) return t.name, t.missing limit 2"}""",
            """["t.name","t.missing"]""",
            """[["platform",null],["ml",null]]""").SetName("GraphQuery_LowerCaseKeywordsAndMissingProperty_ReturnNull");
        yield return new TestCaseData(
            """{"query":"MATCH (s:Service {tier: $tier}) RETURN s.name","params":{"tier":"data"}}""",
            """["s.name"]""",
            """[["redis"]]""").SetName("GraphQuery_SingleNodeWithParameter_FiltersByProperty");
        yield return new TestCaseData(
            """{"query":"MATCH (n) RETURN n LIMIT 2"}""",
            """["n"]""",
            """[[{"labels":["Service"],"properties":{"name":"mcp-gateway","tier":"edge","language":"csharp"}}],[{"labels":["Service"],"properties":{"name":"semantic-search","tier":"core","language":"python"}}]]""").SetName("GraphQuery_WholeNodes_AreReturnedWithLabelsAndProperties");
        yield return new TestCaseData(
            """{"query":"MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name LIMIT 2"}""",
            """["a.name","type(r)","b.name"]""",
            """[["mcp-gateway","DEPENDS_ON","semantic-search"],["mcp-gateway","DEPENDS_ON","ai-agents"]]""").SetName("GraphQuery_RelationshipVariable_TypeOfR");
        yield return new TestCaseData(
            """{"query":"MATCH (s:Service) RETURN count(*) AS services"}""",
            """["services"]""",
            """[[5]]""").SetName("GraphQuery_CountStarWithAlias");
        yield return new TestCaseData(
            """{"query":"MATCH (t:Team)-[:OWNS]->(s:Service) RETURN t.name, count(s) AS services ORDER BY services DESC, t.name"}""",
            """["t.name","services"]""",
            """[["ml",2],["platform",2],["devex",1]]""").SetName("GraphQuery_CountGroupedAndOrdered");
        yield return new TestCaseData(
            """{"query":"MATCH (s:Service) WHERE s.tier = 'core' AND (s.language = 'go' OR s.name STARTS WITH 'ai') RETURN s.name ORDER BY s.name"}""",
            """["s.name"]""",
            """[["ai-agents"],["code-orchestrator"]]""").SetName("GraphQuery_WhereWithAndOr");
        yield return new TestCaseData(
            """{"query":"MATCH (s:Service) WHERE s.tier IN $tiers RETURN DISTINCT s.tier ORDER BY s.tier DESC","params":{"tiers":["data","edge"]}}""",
            """["s.tier"]""",
            """[["edge"],["data"]]""").SetName("GraphQuery_ListParameterDistinctOrderDesc");
        yield return new TestCaseData(
            """{"query":"MATCH (s:Service {name: 'redis'})<-[:AFFECTED]-(i:Incident) RETURN i.id, i.severity"}""",
            """["i.id","i.severity"]""",
            """[["INC-3","high"]]""").SetName("GraphQuery_IncomingRelationship");
        yield return new TestCaseData(
            """{"query":"MATCH (p:Person)-[:MEMBER_OF]->(:Team)-[:OWNS]->(s:Service {name: 'redis'}) RETURN p.name ORDER BY p.name SKIP 1"}""",
            """["p.name"]""",
            """[["bob"]]""").SetName("GraphQuery_TwoHopsAndSkip");
        yield return new TestCaseData(
            """{"query":"CALL db.labels()"}""",
            """["label"]""",
            """[["Service"],["Team"],["Person"],["Incident"]]""").SetName("GraphQuery_DbLabels");
        yield return new TestCaseData(
            """{"query":"CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType ORDER BY relationshipType"}""",
            """["relationshipType"]""",
            """[["AFFECTED"],["DEPENDS_ON"],["MEMBER_OF"],["OWNS"]]""").SetName("GraphQuery_DbRelationshipTypesYieldReturnOrder");
    }

    [TestCaseSource(nameof(GraphQueries))]
    public async Task GraphQuery_SupportedSubset_ReturnsColumnsAndRows(string request, string columns, string rows)
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/graph/query", request);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), Json(body));
        Assert.That(Json(body.GetProperty("columns")), Is.EqualTo(columns));
        Assert.That(Json(body.GetProperty("rows")), Is.EqualTo(rows));
        Assert.That(body.GetProperty("stats").GetProperty("rows").GetInt32(), Is.EqualTo(body.GetProperty("rows").GetArrayLength()));
    }

    [TestCase("CREATE (n:Person {name: 'eve'})", "read-only")]
    [TestCase("MATCH (n:Person) DELETE n", "DELETE")]
    [TestCase("MATCH (n:Person) SET n.name = 'x' RETURN n.name", "SET")]
    [TestCase("OPTIONAL MATCH (n:Person) RETURN n.name", "OPTIONAL at position 0 is valid read Cypher, but this demo backend cannot run it")]
    [TestCase("MATCH (n) WITH n RETURN n", "WITH at position 10 is valid read Cypher")]
    [TestCase("MATCH (a)-[:DEPENDS_ON*1..3]->(b) RETURN b.name", "Variable-length relationships")]
    [TestCase("CALL db.schema.visualization()", "not available in this demo")]
    [TestCase("MATCH (n:Person {name: 'bob) RETURN n.name", "not closed")]
    [TestCase("MATCH (n:Person) RETURN m.name", "'m' is not bound")]
    [TestCase("MATCH (t:Team)-[:OWNS]->(s) RETURN count(s) ORDER BY t.name", "order by a returned column")]
    [TestCase("MATCH (n:Person) RETURN n.name LIMIT -1", "LIMIT")]
    [TestCase("RETURN 1", "Expected MATCH or CALL")]
    public async Task GraphQuery_OutsideTheSubset_Returns400Unsupported(string query, string mentions)
    {
        var request = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["query"] = query });

        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/graph/query", request);

        AssertError(status, body, HttpStatusCode.BadRequest, "unsupported_query", mentions);
    }

    [TestCase("""{"query":"MATCH (n:Person {name: $who}) RETURN n.name"}""", "missing_parameter", "$who")]
    [TestCase("""{"query":"MATCH (n:Person {name: $who}) RETURN n.name","params":{"who":{"a":1}}}""", "invalid_parameter", "params.who")]
    [TestCase("""{"params":{}}""", "missing_field", "'query'")]
    [TestCase("""{"query":"MATCH (n) RETURN count(n)","params":[1]}""", "invalid_field", "'params'")]
    public async Task GraphQuery_BadRequest_Returns400NamingTheProblem(string json, string error, string mentions)
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/graph/query", json);

        AssertError(status, body, HttpStatusCode.BadRequest, error, mentions);
    }

    [TestCase("analyst", "word_count", """{"text":"One two three. Four five!"}""",
        """{"words":5,"characters":25,"sentences":2}""")]
    [TestCase("analyst", "summarize",
        """{"text":"Redis is fast. The gateway uses Redis for rate limits and Redis for caching. Cats are nice.","max_sentences":1}""",
        """{"summary":"The gateway uses Redis for rate limits and Redis for caching.","sentences":1}""")]
    [TestCase("analyst", "extract_keywords", """{"text":"Redis is fast. The gateway uses Redis for rate limits and Redis for caching.","top_n":3}""",
        """{"keywords":[{"term":"redis","count":3},{"term":"fast","count":1},{"term":"gateway","count":1}]}""")]
    [TestCase("planner", "plan", """{"goal":"deploy redis, configure the gateway and then run the smoke tests."}""",
        """{"goal":"deploy redis, configure the gateway and then run the smoke tests.","steps":["Deploy redis","Configure the gateway","Run the smoke tests","Verify the outcome"]}""")]
    public async Task AgentFunction_Known_ReturnsItsResult(string agent, string function, string arguments, string result)
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, $"v1/agents/{agent}/functions/{function}", $$"""{"arguments":{{arguments}}}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), Json(body));
        Assert.That(body.GetProperty("agent").GetString(), Is.EqualTo(agent));
        Assert.That(body.GetProperty("function").GetString(), Is.EqualTo(function));
        Assert.That(Json(body.GetProperty("result")), Is.EqualTo(result));
    }

    [TestCase("v1/agents/oracle/functions/plan", "oracle", """["analyst","planner"]""")]
    [TestCase("v1/agents/analyst/functions/translate", "translate", """["word_count","summarize","extract_keywords"]""")]
    [TestCase("v1/agents/oracle/execute", "oracle", """["analyst","planner"]""")]
    public async Task Agent_UnknownAgentOrFunction_Returns404ListingTheKnownOnes(string path, string mentions, string known)
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, path, """{"arguments":{},"task":"x"}""");

        AssertError(status, body, HttpStatusCode.NotFound, "not_found", mentions);
        Assert.That(Json(body.GetProperty("known")), Is.EqualTo(known));
    }

    [TestCase("analyst", "word_count", "{}", "'arguments.text'")]
    [TestCase("analyst", "summarize", """{"text":"a b","max_sentences":0}""", "'arguments.max_sentences'")]
    [TestCase("planner", "plan", """{"goal":7}""", "'arguments.goal'")]
    public async Task AgentFunction_BadArgument_Returns400NamingIt(string agent, string function, string arguments, string mentions)
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, $"v1/agents/{agent}/functions/{function}", $$"""{"arguments":{{arguments}}}""");

        AssertError(status, body, HttpStatusCode.BadRequest, "invalid_field", mentions);
    }

    [Test]
    public async Task Discussion_Defaults_AlternatesAnalystAndCriticOverTwoRounds()
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/discussions", """{"topic":"Rate limiting with Redis"}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Json(body.GetProperty("participants")), Is.EqualTo("""["analyst","critic"]"""));
        var transcript = body.GetProperty("transcript").EnumerateArray().ToList();
        Assert.That(transcript.Select(t => $"{t.GetProperty("round").GetInt32()}:{t.GetProperty("speaker").GetString()}"),
            Is.EqualTo(new[] { "1:analyst", "1:critic", "2:analyst", "2:critic" }));
        Assert.That(transcript[0].GetProperty("message").GetString(),
            Is.EqualTo("For 'Rate limiting with Redis', 'rate' is the part to measure first."));
        Assert.That(transcript[3].GetProperty("message").GetString(), Does.Contain("'redis'"));
        Assert.That(body.GetProperty("conclusion").GetString(),
            Is.EqualTo("After 2 round(s) the 2 participants agree to focus on: rate, limiting, redis."));
    }

    [Test]
    public async Task Discussion_CustomParticipantsAndRounds_GivesOneTurnEachPerRound()
    {
        var (_, body) = await PostAsync(BackendNames.AiAgents, "v1/discussions",
            """{"topic":"Kubernetes probes","participants":["sre","analyst","critic"],"rounds":3}""");

        Assert.That(body.GetProperty("transcript").GetArrayLength(), Is.EqualTo(9));
        Assert.That(body.GetProperty("transcript")[0].GetProperty("message").GetString(),
            Is.EqualTo("From the sre side, 'kubernetes' matters most for 'Kubernetes probes'."));
    }

    [TestCase("{}", "missing_field", "'topic'")]
    [TestCase("""{"topic":"x","rounds":6}""", "invalid_field", "'rounds'")]
    [TestCase("""{"topic":"x","rounds":0}""", "invalid_field", "'rounds'")]
    [TestCase("""{"topic":"x","participants":[]}""", "invalid_field", "'participants'")]
    [TestCase("""{"topic":"x","participants":["a",""]}""", "invalid_field", "'participants'")]
    public async Task Discussion_InvalidBody_Returns400NamingTheField(string json, string error, string mentions)
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/discussions", json);

        AssertError(status, body, HttpStatusCode.BadRequest, error, mentions);
    }

    [Test]
    public async Task Execute_Planner_ReadsContextThenPlansTheTask()
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/agents/planner/execute",
            """{"task":"build the image and deploy it","context":{"env":"prod","attempt":1}}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Json(body), Is.EqualTo(
            """{"agent":"planner","task":"build the image and deploy it","steps":["Read context: attempt, env","Build the image","Deploy it","Verify the outcome"],"result":"Planned 3 steps."}"""));
    }

    [Test]
    public async Task Execute_Analyst_SummarisesTheTask()
    {
        var (_, body) = await PostAsync(BackendNames.AiAgents, "v1/agents/analyst/execute",
            """{"task":"Redis keeps counters. Counters expire. The gateway reads counters."}""");

        Assert.That(Json(body.GetProperty("steps")), Is.EqualTo("""["Count words: 9","Extract keywords: counters, redis, keeps","Summarize"]"""));
        Assert.That(body.GetProperty("result").GetString(), Is.EqualTo("Redis keeps counters."));
    }

    [Test]
    public async Task Execute_MissingTask_Returns400()
    {
        var (status, body) = await PostAsync(BackendNames.AiAgents, "v1/agents/analyst/execute", """{"context":{}}""");

        AssertError(status, body, HttpStatusCode.BadRequest, "missing_field", "'task'");
    }
}
