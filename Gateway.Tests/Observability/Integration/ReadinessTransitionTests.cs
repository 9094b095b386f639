using Microsoft.AspNetCore.Builder;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Observability.Integration;

/// <summary>/ready follows backend health as YARP's active health checks see it.</summary>
public sealed class ReadinessTransitionTests
{
    [Test]
    public async Task Ready_TurnsDegradedThenNotReadyAsClustersGoDown_AndRecovers()
    {
        var first = await TestBackend.StartAsync(app => app.MapGet("/health", () => "ok"));
        var second = await TestBackend.StartAsync(app => app.MapGet("/health", () => "ok"));
        var secondPort = second.Address.Port;
        const string HealthCheck = """
            "HealthCheck": { "Active": { "Enabled": true, "Interval": "00:00:00.200", "Timeout": "00:00:00.500", "Policy": "ConsecutiveFailures", "Path": "/health" } },
            "Metadata": { "ConsecutiveFailuresHealthPolicy.Threshold": "1" },
            """;
        var routes = new RoutesJson()
            .ClusterRaw("first", "{" + HealthCheck + $$"""  "Destinations": { "d": { "Address": "{{first.Address}}" } } }""")
            .ClusterRaw("second", "{" + HealthCheck + $$"""  "Destinations": { "d": { "Address": "{{second.Address}}" } } }""")
            .Route("a", """{"ClusterId":"first","Match":{"Path":"/a/{**rest}"}}""")
            .Route("b", """{"ClusterId":"second","Match":{"Path":"/b/{**rest}"}}""");
        await using var gateway = await TestGateway.StartAsync(routes.ToString());
        using var http = new HttpClient { BaseAddress = gateway.Address };

        try
        {
            await WaitForAsync(http, HttpStatusCode.OK, "ready");

            await second.DisposeAsync();
            await WaitForAsync(http, HttpStatusCode.OK, "degraded");
            var status = (await http.GetFromJsonAsync<JsonObject>("status/health"))!;
            Assert.That((string?)status["checks"]!["backends"]!["detail"], Does.Contain("second"), "/status/health carries the details /ready leaves out");

            await first.DisposeAsync();
            await WaitForAsync(http, HttpStatusCode.ServiceUnavailable, "not_ready");

            second = await TestBackend.StartAsync(app => app.MapGet("/health", () => "ok"), secondPort);
            await WaitForAsync(http, HttpStatusCode.OK, "degraded");
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient http, HttpStatusCode status, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("ready");
            last = await response.Content.ReadFromJsonAsync<JsonObject>();
            if (response.StatusCode == status && (string?)last!["status"] == state)
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"/ready never became {(int)status} '{state}'; last: {last?.ToJsonString()}; servers: {await http.GetStringAsync("status/servers")}");
        return null!;
    }
}
