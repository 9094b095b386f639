using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Mcp;

/// <summary>Transport errors name what was wrong without echoing the caller's header values back.</summary>
public sealed class HeaderReflectionTests
{
    private const string Marker = "zz-reflected-marker";

    [TestCase("MCP-Protocol-Version", "2099-01-01-" + Marker)]
    [TestCase("Mcp-Method", "tools/" + Marker)]
    [TestCase("Mcp-Name", Marker)]
    public async Task McpError_DoesNotEchoHeaderValues(string header, string value)
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().Cluster("echo", new Uri("http://127.0.0.1:9/")).ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var request = McpHttp.Post(gateway.McpEndpoint, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{}}}""");
        if (header != "MCP-Protocol-Version")
        {
            request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        }

        if (header == "Mcp-Name")
        {
            request.Headers.Add("Mcp-Method", "tools/call");
        }

        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Not.Contain(Marker));
    }
}
