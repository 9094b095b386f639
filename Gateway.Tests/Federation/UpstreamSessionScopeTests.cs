using System.Net.Http.Headers;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;

namespace Gateway.Tests.Federation;

/// <summary>
/// Whose session a federated call goes on: <c>"SessionScope": "Principal"</c> gives each verified principal (subject and
/// tenant) an upstream session of its own, which survives an upstream restart like the shared one; a stateless upstream
/// (no sessions at all) is served too.
/// </summary>
public sealed class UpstreamSessionScopeTests
{
    [Test]
    public async Task PrincipalScope_GivesEachSubjectAndTenantItsOwnUpstreamSession_KeptAcrossCalls()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartAsync(upstream, """{ "SessionScope": "Principal" }""");

        await CallAsync(secured, secured.Token(subject: "alice", tenant: "acme"));
        await CallAsync(secured, secured.Token(subject: "alice", tenant: "acme"));
        await CallAsync(secured, secured.Token(subject: "bob", tenant: "acme"));
        await CallAsync(secured, secured.Token(subject: "alice", tenant: "globex"));
        var sessions = CallSessions(upstream);

        Assert.Multiple(() =>
        {
            Assert.That(sessions[0], Is.EqualTo(sessions[1]), "alice's calls share her session");
            Assert.That(sessions.Distinct().Count(), Is.EqualTo(3), "alice@acme, bob@acme and alice@globex each have one");
        });
    }

    [Test]
    public async Task PrincipalScope_ResourceReads_GoOnThePrincipalsOwnSession_LikeItsToolCalls()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartAsync(upstream, """{ "SessionScope": "Principal" }""");
        var alice = secured.Token(subject: "alice", tenant: "acme");

        await CallAsync(secured, alice);
        var aliceRead = await ReadAsync(secured, alice);
        var bobRead = await ReadAsync(secured, secured.Token(subject: "bob", tenant: "acme"));
        var reads = Sessions(upstream, "resources/read");

        Assert.Multiple(() =>
        {
            Assert.That((aliceRead, bobRead), Is.EqualTo((true, true)), "both reads answered");
            Assert.That(reads[0], Is.EqualTo(CallSessions(upstream)[0]), "alice reads on the session her calls use");
            Assert.That(reads[1], Is.Not.EqualTo(reads[0]), "bob reads on his own");
        });
    }

    [Test]
    public async Task SharedScope_PutsEveryPrincipalOnOneSession()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartAsync(upstream, "{}");

        await CallAsync(secured, secured.Token(subject: "alice", tenant: "acme"));
        await CallAsync(secured, secured.Token(subject: "bob", tenant: "acme"));

        Assert.That(CallSessions(upstream).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task PrincipalScope_SurvivesAnUpstreamRestart()
    {
        await using var upstream = await CSharpUpstream.StartAsync();
        await using var secured = await StartAsync(upstream, """{ "SessionScope": "Principal" }""");
        var alice = secured.Token(subject: "alice", tenant: "acme");
        await CallAsync(secured, alice);

        await upstream.StopAsync();
        await upstream.StartAgainAsync();
        var text = await CallAsync(secured, alice);

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("echo: hi"), "re-initialized, no failure for a call made after the restart");
            Assert.That(CallSessions(upstream).Last(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task StatelessUpstream_ServesListsAndCalls()
    {
        await using var upstream = await CSharpUpstream.StartAsync(stateless: true);
        await using var secured = await StartAsync(upstream, """{ "SessionScope": "Principal" }""");

        var text = await CallAsync(secured, secured.Token(subject: "alice", tenant: "acme"));

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("echo: hi"));
            Assert.That(upstream.Requests.Where(r => r.Method == "tools/call").Select(r => r.Headers.ContainsKey("Mcp-Session-Id")), Has.All.False);
        });
    }

    [Test]
    public async Task SessionlessOnlyUpstream_RefusingTheHandshake_IsSpokenToIn2026_07_28_AndServesListsAndCalls()
    {
        await using var upstream = await CSharpUpstream.StartSessionlessOnlyAsync();
        await using var secured = await StartAsync(upstream, "{}");

        var answer = await CallAsync(secured, secured.Token());

        Assert.Multiple(() =>
        {
            Assert.That(answer, Is.EqualTo("echo: hi"));
            Assert.That(upstream.Count("initialize"), Is.EqualTo(1), "asked for a session once");
            Assert.That(upstream.Count("server/discover"), Is.GreaterThanOrEqualTo(1), "then discovered the 2026-07-28 server");
            Assert.That(upstream.Requests.Where(r => r.Method == "tools/call").Select(r => r.Headers.GetValueOrDefault("MCP-Protocol-Version")), Has.All.EqualTo("2026-07-28"));
        });
    }

    private static async Task<SecuredGateway> StartAsync(CSharpUpstream upstream, string entry)
    {
        var secured = await SecuredGateway.StartAsync(routes: echo => FederatedRoutes.With(new RoutesJson().Cluster("echo", echo), ("up", upstream.Address, entry)));
        await FederatedRoutes.WaitForToolAsync(secured.Gateway.Services, "up__echo");
        return secured;
    }

    private static async Task<string?> CallAsync(SecuredGateway secured, string token)
    {
        using var request = McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(1, "tools/call", """{"name":"up__echo","arguments":{"text":"hi"}}"""),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" });
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await secured.Http.SendAsync(request);
        var answer = await McpHttp.ReadMessageAsync(response);
        return (string?)answer["result"]?["content"]?[0]?["text"];
    }

    private static async Task<bool> ReadAsync(SecuredGateway secured, string token)
    {
        using var request = McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(2, "resources/read", """{"uri":"mcp-gateway://up/test://doc/readme"}"""),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" });
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await secured.Http.SendAsync(request);
        var answer = await McpHttp.ReadMessageAsync(response);
        return answer["result"]?["contents"]?[0] is not null;
    }

    private static List<string> CallSessions(CSharpUpstream upstream) => Sessions(upstream, "tools/call");

    private static List<string> Sessions(CSharpUpstream upstream, string method) =>
        [.. upstream.Requests.Where(r => r.Method == method).Select(r => r.Headers.TryGetValue("Mcp-Session-Id", out var id) ? id : string.Empty)];
}
