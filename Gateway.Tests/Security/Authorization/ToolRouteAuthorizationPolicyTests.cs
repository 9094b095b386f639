using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Security.Authorization;

/// <summary>
/// A tool route's YARP AuthorizationPolicy (an ASP.NET authorization policy) is enforced for tool calls through every
/// entry point and hides the tool from lists; a policy that does not exist is refused at load.
/// </summary>
public sealed class ToolRouteAuthorizationPolicyTests
{
    private TestBackend _echo = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _echo = await TestBackend.StartEchoAsync();
        var routes = new RoutesJson()
            .Cluster("echo", _echo.Address)
            .Tool("denied_echo", "echo", "POST /denied", routeExtras: """{"AuthorizationPolicy":"deny-all"}""")
            .Tool("allowed_echo", "echo", "POST /allowed", routeExtras: """{"AuthorizationPolicy":"allow-all"}""")
            .Tool("default_echo", "echo", "POST /default", routeExtras: """{"AuthorizationPolicy":"Default"}""")
            .Tool("plain_echo", "echo", "POST /plain")
            .ToString();
        _gateway = await TestGateway.StartAsync(routes, configure: builder => builder.Services.AddAuthorization(AddPolicies));
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [TestCase("denied_echo", HttpStatusCode.NotFound)]
    [TestCase("default_echo", HttpStatusCode.NotFound)] // the default policy requires an authenticated caller
    [TestCase("allowed_echo", HttpStatusCode.OK)]
    [TestCase("plain_echo", HttpStatusCode.OK)]
    public async Task RestFacadeCall_FollowsTheRoutePolicy(string tool, HttpStatusCode expected)
    {
        using var response = await _http.PostAsJsonAsync("tools/call", new { tool, arguments = new { } });

        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task RestFacadeDeniedCall_LooksLikeAnUnknownTool()
    {
        using var denied = await _http.PostAsJsonAsync("tools/call", new { tool = "denied_echo", arguments = new { } });
        using var unknown = await _http.PostAsJsonAsync("tools/call", new { tool = "no_such_tool", arguments = new { } });

        var deniedBody = (await denied.Content.ReadFromJsonAsync<JsonObject>())!;
        var unknownBody = (await unknown.Content.ReadFromJsonAsync<JsonObject>())!;
        deniedBody.Remove("request_id");
        unknownBody.Remove("request_id");
        Assert.That(
            deniedBody.ToJsonString().Replace("denied_echo", "TOOL", StringComparison.Ordinal),
            Is.EqualTo(unknownBody.ToJsonString().Replace("no_such_tool", "TOOL", StringComparison.Ordinal)));
        Assert.That(denied.StatusCode, Is.EqualTo(unknown.StatusCode));
    }

    [Test]
    public async Task RestToolsList_HidesToolsThePolicyDenies()
    {
        var tools = (await _http.GetFromJsonAsync<JsonObject>("tools"))!["tools"]!.AsArray().Select(t => (string?)t!["name"]);

        Assert.That(tools, Is.EquivalentTo(new[] { "allowed_echo", "plain_echo" }));
    }

    [Test]
    public async Task McpToolsList_HidesToolsThePolicyDenies()
    {
        await using var client = await ConnectAsync();

        var tools = await client.ListToolsAsync();

        Assert.That(tools.Select(t => t.Name), Is.EquivalentTo(new[] { "allowed_echo", "plain_echo" }));
    }

    [Test]
    public async Task McpToolsCall_DeniedByPolicy_IsRefusedAsUnknown()
    {
        await using var client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("denied_echo", new Dictionary<string, object?>()));
        var allowed = await client.CallToolAsync("allowed_echo", new Dictionary<string, object?>());

        Assert.That(error!.ErrorCode, Is.EqualTo(McpErrorCode.InvalidParams));
        Assert.That(allowed.IsError, Is.Not.True);
    }

    [Test]
    public async Task UnknownPolicyOnAToolRoute_IsRefusedAtLoad()
    {
        var routes = new RoutesJson()
            .Cluster("echo", _echo.Address)
            .Tool("typo_echo", "echo", "POST /typo", routeExtras: """{"AuthorizationPolicy":"no-such-policy"}""")
            .ToString();

        var error = await Assert.CatchAsync(async () => await (await TestGateway.StartAsync(routes)).DisposeAsync());

        Assert.That(error!.Message, Does.Contain("typo_echo").And.Contain("no-such-policy"));
    }

    private static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy("deny-all", policy => policy.RequireAssertion(_ => false));
        options.AddPolicy("allow-all", policy => policy.RequireAssertion(_ => true));
    }

    private async Task<McpClient> ConnectAsync()
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _gateway.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp });
        return await McpClient.CreateAsync(transport, loggerFactory: null);
    }
}
