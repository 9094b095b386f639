namespace DemoBackends.AiAgents.Graph;

/// <summary>The seed graph: who owns which service, what depends on what, and which incidents hit which service.</summary>
internal static class DemoGraph
{
    public static PropertyGraph Create()
    {
        var gateway = Service("mcp-gateway", "edge", "csharp");
        var search = Service("semantic-search", "core", "python");
        var agents = Service("ai-agents", "core", "python");
        var orchestrator = Service("code-orchestrator", "core", "go");
        var redis = Service("redis", "data", "c");

        var platform = Team("platform");
        var ml = Team("ml");
        var devex = Team("devex");

        var alice = Person("alice", "lead");
        var bob = Person("bob", "engineer");
        var carol = Person("carol", "engineer");
        var dave = Person("dave", "sre");

        var inc1 = Incident("INC-1", "high", "Gateway 502s during deploy");
        var inc2 = Incident("INC-2", "low", "Slow hybrid search");
        var inc3 = Incident("INC-3", "high", "Redis failover");

        GraphNode[] nodes = [gateway, search, agents, orchestrator, redis, platform, ml, devex, alice, bob, carol, dave, inc1, inc2, inc3];
        GraphEdge[] edges =
        [
            new(platform, "OWNS", gateway),
            new(platform, "OWNS", redis),
            new(ml, "OWNS", search),
            new(ml, "OWNS", agents),
            new(devex, "OWNS", orchestrator),
            new(gateway, "DEPENDS_ON", search),
            new(gateway, "DEPENDS_ON", agents),
            new(gateway, "DEPENDS_ON", orchestrator),
            new(gateway, "DEPENDS_ON", redis),
            new(agents, "DEPENDS_ON", search),
            new(alice, "MEMBER_OF", platform),
            new(bob, "MEMBER_OF", platform),
            new(carol, "MEMBER_OF", ml),
            new(dave, "MEMBER_OF", devex),
            new(inc1, "AFFECTED", gateway),
            new(inc2, "AFFECTED", search),
            new(inc3, "AFFECTED", redis),
            new(inc3, "AFFECTED", gateway),
        ];

        return new PropertyGraph(nodes, edges);
    }

    private static GraphNode Service(string name, string tier, string language) =>
        new("Service", new Dictionary<string, object> { ["name"] = name, ["tier"] = tier, ["language"] = language });

    private static GraphNode Team(string name) =>
        new("Team", new Dictionary<string, object> { ["name"] = name });

    private static GraphNode Person(string name, string role) =>
        new("Person", new Dictionary<string, object> { ["name"] = name, ["role"] = role });

    private static GraphNode Incident(string id, string severity, string title) =>
        new("Incident", new Dictionary<string, object> { ["id"] = id, ["severity"] = severity, ["title"] = title });
}
