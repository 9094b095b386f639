using System.Net.Http.Headers;
using System.Text;
using Gateway.Proxy.Federation;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

/// <summary>
/// An upstream that wants OAuth 2 access tokens from the client credentials grant: a real token endpoint and a C# SDK
/// server that checks the bearer on every request, both on 127.0.0.1, with the gateway in front.
/// </summary>
public sealed class OAuthUpstreamTests
{
    private string _secretFile = null!;

    [SetUp]
    public async Task WriteSecretAsync()
    {
        _secretFile = Path.Combine(Path.GetTempPath(), "gateway-tests", "client-secret-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(_secretFile)!);
        await File.WriteAllTextAsync(_secretFile, TestTokenEndpoint.ClientSecret + "\n");
    }

    [TearDown]
    public void DeleteSecret() => File.Delete(_secretFile);

    [Test]
    public async Task Calls_CarryTheGatewaysToken_NeverTheCallersAuthorization_AndTheGrantIsClientSecretBasic()
    {
        await using var tokens = await TestTokenEndpoint.StartAsync();
        await using var upstream = await BearerCheckingUpstream.StartAsync(tokens);
        await using var secured = await SecuredGateway.StartAsync(routes: echo => Routes(new RoutesJson().Cluster("echo", echo), tokens, upstream));
        await FederatedRoutes.WaitForToolAsync(secured.Gateway.Services, "up__echo");
        var callerToken = secured.Token(subject: "alice", tenant: "acme", tier: "standard");

        using var request = McpHttp.Post(secured.Gateway.McpEndpoint, McpHttp.Request(1, "tools/call", """{"name":"up__echo","arguments":{"text":"hi"}}"""),
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" });
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", callerToken);
        using var response = await secured.Http.SendAsync(request);
        var answer = await McpHttp.ReadMessageAsync(response);
        var grant = tokens.Requests.First();
        var basic = Encoding.UTF8.GetString(Convert.FromBase64String(grant.Authorization["Basic ".Length..]));

        Assert.Multiple(() =>
        {
            Assert.That((string?)answer["result"]!["content"]![0]!["text"], Is.EqualTo("echo: hi"));
            Assert.That(upstream.Received.Select(r => r.Authorization), Has.All.EqualTo("Bearer token-1"), "every upstream request, the call's included, carries the gateway's token");
            Assert.That(upstream.Received.Select(r => r.Authorization), Has.None.Contains(callerToken));
            Assert.That(tokens.Issued, Is.EqualTo(1), "one token serves the session's requests");
            Assert.That(grant.Form["grant_type"], Is.EqualTo("client_credentials"));
            Assert.That(grant.Form["scope"], Is.EqualTo("tools:call tools:list"));
            Assert.That(grant.Form["resource"], Is.EqualTo(upstream.Address + "mcp"));
            Assert.That(grant.Form.ContainsKey("client_secret"), Is.False, "client_secret_basic, not the form");
            Assert.That(basic, Is.EqualTo(Uri.EscapeDataString(TestTokenEndpoint.ClientId).Replace("%20", "+") + ":" + Uri.EscapeDataString(TestTokenEndpoint.ClientSecret)));
        });
    }

    [Test]
    public async Task Token_IsKeptUntilShortlyBeforeExpiry_ThenReplaced_WithOneRequestForConcurrentCalls()
    {
        await using var tokens = await TestTokenEndpoint.StartAsync();
        tokens.ExpiresInSeconds = 6;
        await using var upstream = await BearerCheckingUpstream.StartAsync(tokens);
        await using var gateway = await TestGateway.StartAsync(Routes(new RoutesJson(), tokens, upstream));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));

        var first = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "a" });
        var issuedAfterFirst = tokens.Issued;

        // A 6 s token is replaced 3 s before it expires (the skew is at most half its lifetime), leaving the 12 calls
        // below 2.7 s on the token they share before it is due again.
        await Task.Delay(TimeSpan.FromSeconds(3.3));
        tokens.Delay = TimeSpan.FromMilliseconds(300);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "c" + i }).AsTask()));

        Assert.Multiple(() =>
        {
            Assert.That(first.IsError, Is.Not.True);
            Assert.That(concurrent.Select(r => r.IsError == true), Has.All.False, string.Join("\n", concurrent.Select(r => ((TextContentBlock)r.Content[0]).Text)));
            Assert.That(tokens.Issued, Is.EqualTo(issuedAfterFirst + 1), "one token request for the 12 calls that found the token due");
            Assert.That(upstream.Received.Select(r => r.Accepted), Has.All.True, "the token was replaced before the upstream could refuse it");
            Assert.That(upstream.Received.Last().Authorization, Is.EqualTo("Bearer token-" + tokens.Issued));
        });
    }

    [Test]
    public async Task Upstream401_RenewsTheTokenOnce_AndTheCallSucceeds()
    {
        await using var tokens = await TestTokenEndpoint.StartAsync();
        await using var upstream = await BearerCheckingUpstream.StartAsync(tokens);
        await using var gateway = await TestGateway.StartAsync(Routes(new RoutesJson(), tokens, upstream));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));
        await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "before" });
        var issued = tokens.Issued;

        // The authorization server revoked every token so far (still far from expiry).
        tokens.FirstValidToken = issued + 1;
        var result = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "after" });
        var last = upstream.Received.TakeLast(2).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(((TextContentBlock)result.Content[0]).Text, Is.EqualTo("echo: after"));
            Assert.That(tokens.Issued, Is.EqualTo(issued + 1), "one new token");
            Assert.That(last[0], Is.EqualTo(("Bearer token-" + issued, false)), "refused with the revoked token...");
            Assert.That(last[1], Is.EqualTo(("Bearer token-" + (issued + 1), true)), "...then sent once more with the new one");
        });
    }

    [Test]
    public async Task TokenEndpointRefusal_FailsTheCallAsUnavailable_NamingTheUpstreamAndTheOAuthError_NotTheSecret()
    {
        await using var tokens = await TestTokenEndpoint.StartAsync();
        await using var upstream = await BearerCheckingUpstream.StartAsync(tokens);
        await using var gateway = await TestGateway.StartAsync(Routes(new RoutesJson(), tokens, upstream));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        tokens.Refusal = "unauthorized_client";
        tokens.FirstValidToken = int.MaxValue;

        var failure = await CallThroughSessionAsync(gateway);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Does.Contain("upstream 'up'").And.Contain("OAuth error 'unauthorized_client'"));
            Assert.That(failure, Does.Not.Contain(TestTokenEndpoint.ClientSecret));
        });
    }

    [Test]
    public async Task TokenEndpointDown_FailsTheCallAsUnavailable_NamingTheUpstream()
    {
        var tokens = await TestTokenEndpoint.StartAsync();
        await using var upstream = await BearerCheckingUpstream.StartAsync(tokens);
        await using var gateway = await TestGateway.StartAsync(Routes(new RoutesJson(), tokens, upstream));
        await FederatedRoutes.WaitForToolAsync(gateway.Services, "up__echo");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = gateway.McpEndpoint }, loggerFactory: null));
        await tokens.DisposeAsync();
        tokens.FirstValidToken = int.MaxValue;

        var result = await client.CallToolAsync("up__echo", new Dictionary<string, object?> { ["text"] = "x" });
        var text = ((TextContentBlock)result.Content[0]).Text;

        Assert.Multiple(() =>
        {
            Assert.That(result.IsError, Is.True);
            Assert.That(text, Does.StartWith("BackendUnavailable"));
            Assert.That(text, Does.Contain("token endpoint of upstream 'up'").And.Contain("could not be reached"));
            Assert.That(text, Does.Not.Contain(TestTokenEndpoint.ClientSecret));
        });
    }

    /// <summary>A call made on the upstream session itself, so the failure's whole text (as logged) can be read.</summary>
    private static async Task<string> CallThroughSessionAsync(TestGateway gateway)
    {
        var registry = gateway.GetRequiredService<UpstreamRegistry>();
        Assert.That(registry.TryGetSession("up", out var session), Is.True);
        try
        {
            await session!.ListToolsAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }

        Assert.Fail("the upstream was reached without a token");
        return string.Empty;
    }

    private string Routes(RoutesJson routes, TestTokenEndpoint tokens, BearerCheckingUpstream upstream) => FederatedRoutes.With(routes, ("up", upstream.Address, $$"""
        {
          "Credential": {
            "Type": "OAuthClientCredentials", "TokenEndpoint": "{{tokens.TokenUrl}}", "ClientId": "{{TestTokenEndpoint.ClientId}}",
            "FromFile": "{{_secretFile.Replace("\\", "\\\\")}}", "Scope": "tools:call tools:list", "Resource": "{{upstream.Address}}mcp"
          }
        }
        """));
}
