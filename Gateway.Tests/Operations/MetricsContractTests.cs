using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Gateway.Proxy.Security.Keys;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Security;

namespace Gateway.Tests.Operations;

/// <summary>
/// Every metric the dashboard and the alert rules query is exported by a live gateway after some traffic, so a
/// renamed or removed metric fails the build instead of silently blanking a panel or an alert.
/// </summary>
public sealed partial class MetricsContractTests
{
    [Test]
    public async Task EveryMetricTheDashboardAndTheAlertsUse_IsExported()
    {
        var expected = MetricNames(DashboardTests.Expressions().Concat(AlertRuleTests.Rules().Select(r => (string)r["expr"]!)));
        await using var live = await LiveGateway.StartAsync();
        await live.SendTrafficAsync();

        var exported = await live.WaitForMetricsAsync(expected, TimeSpan.FromSeconds(15));

        Assert.That(expected, Has.Count.GreaterThan(15), "the dashboard and the rules were read");
        Assert.That(expected.Except(exported), Is.Empty, "queried by the dashboard or the alerts but not exported:");
    }

    [Test]
    public void MetricNames_ReadsHistogramSeriesAsTheirFamily()
    {
        var names = MetricNames(["histogram_quantile(0.95, sum by (le) (rate(mcp_request_duration_seconds_bucket{a=\"b\"}[5m]))) / up", "sum(mcp_backend_up)"]);

        Assert.That(names, Is.EquivalentTo(new[] { "mcp_request_duration_seconds", "mcp_backend_up" }));
    }

    /// <summary>Our metric names in PromQL expressions (mcp_* and http_request*; not kube-state-metrics or cAdvisor ones).</summary>
    internal static HashSet<string> MetricNames(IEnumerable<string> expressions) =>
        expressions.SelectMany(e => OwnMetric().Matches(e).Select(m => HistogramSeries().Replace(m.Value, "")))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\b(mcp|http)_[a-z0-9_]+\b")]
    private static partial Regex OwnMetric();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();

    [GeneratedRegex(@"(?m)^# TYPE (\S+) ")]
    private static partial Regex TypeLine();

    /// <summary>A gateway with every metric source on: OIDC, API keys, Redis (unreachable), an MCP backend cluster, a federated upstream.</summary>
    private sealed class LiveGateway : IAsyncDisposable
    {
        private readonly TestIdentityProvider _idp;
        private readonly TestBackend _echo;
        private readonly TestGateway _gateway;
        private readonly HttpClient _http;
        private readonly string _apiKey;
        private readonly int _managementPort;

        private LiveGateway(TestIdentityProvider idp, TestBackend echo, TestGateway gateway, string apiKey, int managementPort)
        {
            _idp = idp;
            _echo = echo;
            _gateway = gateway;
            _apiKey = apiKey;
            _managementPort = managementPort;
            _http = new HttpClient { BaseAddress = gateway.Address };
        }

        public static async Task<LiveGateway> StartAsync()
        {
            var idp = await TestIdentityProvider.StartAsync(TestSigningKey.Rsa("rsa-1"));
            var echo = await TestBackend.StartEchoAsync();
            var keysDirectory = Path.Combine(Path.GetTempPath(), "gateway-tests", "keys-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(keysDirectory);
            var keysPath = Path.Combine(keysDirectory, "apikeys.json");
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.That(await KeysCommandLine.RunAsync(["create", "--subject", "svc-ci", "--tier", "standard", "--expires", "30d", "--file", keysPath], output, error), Is.Zero, error.ToString());

            var rest = new RoutesJson()
                .Cluster("echo", echo.Address)
                .ClusterRaw("mcp-backend", $$"""
                    { "Metadata": { "Gateway.Mcp.Endpoint": "/mcp", "Gateway.Mcp.ExpectedTools": "search" },
                      "Destinations": { "d1": { "Address": "{{echo.Address}}" } } }
                    """)
                .Tool("echo_tool", "echo", "POST /tools/echo", """{"type":"object","properties":{"text":{"type":"string"}},"additionalProperties":false}""");

            // A federated upstream (nobody listening: its dual health check and pinning series are exported all the same).
            var routes = Federation.FederatedRoutes.With(rest, ("upstream", new Uri($"http://127.0.0.1:{FreePort.Next()}/"), "{}"));
            var managementPort = FreePort.Next();
            var gateway = await TestGateway.StartAsync(routes, new Dictionary<string, string?>
            {
                ["Gateway:Auth:Enabled"] = "true",
                ["Gateway:Auth:PublicOrigin"] = SecuredGateway.PublicOrigin,
                ["Gateway:Auth:Oidc:Issuer"] = idp.Issuer,
                ["Gateway:Auth:Oidc:JwksUrl"] = idp.JwksUrl,
                ["Gateway:Auth:Oidc:Audience"] = SecuredGateway.Audience,
                ["Gateway:Auth:ApiKeys:Path"] = keysPath,
                ["Gateway:RateLimiting:RedisUrl"] = $"redis://127.0.0.1:{FreePort.Next()}",
                ["Gateway:RateLimiting:DefaultRequestsPerMinute"] = "3",
                // The management port of the parallel "management port" change; ignored where it does not exist yet.
                ["Gateway:Management:Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            return new LiveGateway(idp, echo, gateway, output.ToString().Trim(), managementPort);
        }

        /// <summary>Calls that touch every per-call metric: success, validation rejection, auth failure, rate limit.</summary>
        public async Task SendTrafficAsync()
        {
            Assert.That((await CallAsync("""{"tool":"echo_tool","arguments":{"text":"hi"}}""", _apiKey)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)(await CallAsync("""{"tool":"echo_tool","arguments":{"unexpected":1}}""", _apiKey)).StatusCode, Is.EqualTo(400));
            Assert.That((await CallAsync("""{"tool":"echo_tool","arguments":{}}""", "mcpgw_0000000000000000_not-a-key")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            HttpStatusCode last = default;
            for (var i = 0; i < 4 && last != HttpStatusCode.TooManyRequests; i++)
            {
                last = (await CallAsync("""{"tool":"echo_tool","arguments":{}}""", _apiKey)).StatusCode;
            }

            Assert.That(last, Is.EqualTo(HttpStatusCode.TooManyRequests));
        }

        /// <summary>The metric families on /metrics once all <paramref name="expected"/> appear (the MCP probe runs in the background), or at the deadline.</summary>
        public async Task<HashSet<string>> WaitForMetricsAsync(IReadOnlySet<string> expected, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            while (true)
            {
                var exported = TypeLine().Matches(await ScrapeAsync()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
                if (expected.IsSubsetOf(exported) || DateTime.UtcNow > deadline)
                {
                    return exported;
                }

                await Task.Delay(200);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _gateway.DisposeAsync();
            await _echo.DisposeAsync();
            await _idp.DisposeAsync();
        }

        private async Task<HttpResponseMessage> CallAsync(string body, string apiKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "tools/call") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-API-Key", apiKey);
            return await _http.SendAsync(request);
        }

        /// <summary>/metrics on the management port when the gateway serves one, else on the main port.</summary>
        private async Task<string> ScrapeAsync()
        {
            try
            {
                using var management = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                using var response = await management.GetAsync($"http://127.0.0.1:{_managementPort}/metrics");
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
            }

            return await _http.GetStringAsync("metrics");
        }
    }
}
