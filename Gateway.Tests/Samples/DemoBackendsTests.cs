using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DemoBackends;

namespace Gateway.Tests.Samples;

/// <summary>
/// The demo backends on real Kestrel (127.0.0.1, ephemeral ports) driven by a real HttpClient. One host serves the
/// whole fixture; faults are reset before each test. Split by backend into partial files.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class DemoBackendsTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private DemoBackendHost _host = null!;
    private HttpClient _http = null!;

    public static IEnumerable<string> Backends => BackendNames.All;

    [OneTimeSetUp]
    public async Task StartBackends()
    {
        _host = await DemoBackendHost.StartAsync(DemoBackendOptions.Ephemeral());
        _http = new HttpClient { Timeout = HangGuard };
    }

    [OneTimeTearDown]
    public async Task StopBackends()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [SetUp]
    public void ResetFaults() => _host.Faults.ResetAll();

    [TestCaseSource(nameof(Backends))]
    public async Task Health_EachBackend_ReportsHealthyWithItsName(string backend)
    {
        var (status, body) = await GetAsync(backend, "health");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(body.GetProperty("service").GetString(), Is.EqualTo(backend));
    }

    [Test]
    public void StartAsync_EphemeralPorts_BindsFourDistinctLoopbackPorts()
    {
        Uri[] addresses = [_host.LlmGateway, _host.SemanticSearch, _host.AiAgents, _host.CodeOrchestrator];

        Assert.That(addresses.Select(a => a.Port).Distinct().Count(), Is.EqualTo(4));
        Assert.That(addresses, Has.All.Property(nameof(Uri.Host)).EqualTo("127.0.0.1"));
        Assert.That(addresses.Select(a => a.Port), Has.None.EqualTo(0));
    }

    [TestCaseSource(nameof(Backends))]
    public async Task Echo_AnyMethod_ReturnsMethodPathQueryHeadersAndBody(string backend)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_host.AddressOf(backend), "echo/tools/run?x=1&y=two"))
        {
            Content = new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "req-42");
        request.Headers.Add("X-API-Key", "k-1");

        using var response = await _http.SendAsync(request);
        var body = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("method").GetString(), Is.EqualTo("PUT"));
        Assert.That(body.GetProperty("path").GetString(), Is.EqualTo("/echo/tools/run"));
        Assert.That(body.GetProperty("query").GetProperty("y").GetString(), Is.EqualTo("two"));
        Assert.That(body.GetProperty("body").GetString(), Is.EqualTo("{\"a\":1}"));
        var headers = body.GetProperty("headers");
        Assert.That(headers.GetProperty("X-Request-ID").GetString(), Is.EqualTo("req-42"));
        Assert.That(headers.GetProperty("X-API-Key").GetString(), Is.EqualTo("k-1"));
        Assert.That(headers.TryGetProperty("Authorization", out _), Is.False, "a header that was not sent must not appear");
        Assert.That(headers.TryGetProperty("Cookie", out _), Is.False, "a header that was not sent must not appear");
    }

    [TestCase(500)]
    [TestCase(429)]
    [TestCase(503)]
    public async Task ForcedStatus_ApiEndpoint_AnswersThatStatusWithForcedFault(int forced)
    {
        _host.Faults.SemanticSearch.ForcedStatus = forced;

        var (status, body) = await PostAsync(BackendNames.SemanticSearch, "v1/search", """{"query":"redis"}""");

        Assert.That((int)status, Is.EqualTo(forced));
        Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("forced_fault"));
    }

    [Test]
    public async Task ForcedStatus_Health_Answers503Unhealthy()
    {
        _host.Faults.AiAgents.ForcedStatus = 500;

        var (status, body) = await GetAsync(BackendNames.AiAgents, "health");
        var (otherStatus, _) = await GetAsync(BackendNames.LlmGateway, "health");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(otherStatus, Is.EqualTo(HttpStatusCode.OK), "faults are per backend");
    }

    [Test]
    public async Task ForcedStatus_Cleared_ServesNormallyAgain()
    {
        _host.Faults.LlmGateway.ForcedStatus = 502;
        _host.Faults.LlmGateway.ForcedStatus = null;

        var (status, _) = await PostAsync(BackendNames.LlmGateway, "v1/completions", """{"prompt":"hi"}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Delay_HoldsApiRequestsButNotHealthChecks()
    {
        _host.Faults.CodeOrchestrator.Delay = TimeSpan.FromSeconds(30);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var delayed = _http.PostAsync(
            new Uri(_host.CodeOrchestrator, "v1/analyze"),
            new StringContent("""{"path":"README.md"}"""),
            shortWait.Token);
        var (healthStatus, _) = await GetAsync(BackendNames.CodeOrchestrator, "health");

        Assert.That(async () => await delayed, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(healthStatus, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RequestCount_CountsApiRequestsApartFromHealthChecks()
    {
        await GetAsync(BackendNames.SemanticSearch, "v1/collections");
        await GetAsync(BackendNames.SemanticSearch, "v1/documents/doc-001");
        await GetAsync(BackendNames.SemanticSearch, "health");

        Assert.That(_host.Faults.SemanticSearch.RequestCount, Is.EqualTo(2));
        Assert.That(_host.Faults.SemanticSearch.HealthCheckCount, Is.EqualTo(1));
        Assert.That(_host.Faults.AiAgents.RequestCount, Is.Zero);
    }

    [Test]
    public async Task StopBackend_RefusesConnections_StartBackend_ServesAgainOnSamePort()
    {
        var address = _host.AiAgents;
        try
        {
            await _host.StopBackendAsync(BackendNames.AiAgents);

            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(new Uri(address, "health")));
            Assert.That(refused!.InnerException, Is.InstanceOf<SocketException>()
                .With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionRefused));
            Assert.That(_host.Faults.AiAgents.IsDown, Is.True);
            Assert.That((await GetAsync(BackendNames.LlmGateway, "health")).Status, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            await _host.StartBackendAsync(BackendNames.AiAgents);
        }

        var (status, _) = await GetAsync(BackendNames.AiAgents, "health");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.AiAgents, Is.EqualTo(address));
        Assert.That(_host.Faults.AiAgents.IsDown, Is.False);
    }

    [Test]
    public void Faults_UnknownBackend_ThrowsNamingTheKnownOnes()
    {
        Assert.That(() => _host.Faults["nope"], Throws.ArgumentException.With.Message.Contains("llm-gateway"));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string backend, string path)
    {
        using var response = await _http.GetAsync(new Uri(_host.AddressOf(backend), path));
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string backend, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(_host.AddressOf(backend), path), content);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The JSON exactly as the backend wrote it (compact), for comparing whole arrays and objects at once.</summary>
    private static string Json(JsonElement element) => element.GetRawText();

    private static void AssertError(HttpStatusCode status, JsonElement body, HttpStatusCode expectedStatus, string error, string detailMentions)
    {
        Assert.That(status, Is.EqualTo(expectedStatus));
        Assert.That(body.GetProperty("error").GetString(), Is.EqualTo(error));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain(detailMentions));
    }
}
