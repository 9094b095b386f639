using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Configuration;

/// <summary>
/// What an operator sees when routes.json goes wrong on a running gateway: one precise error per mistake, with the
/// line an editor shows, a persistent problem logged once (and its end), and the rejection in /ready and /status/health.
/// </summary>
public sealed class ReloadDiagnosticsTests
{
    private TestBackend _backend = null!;

    [SetUp]
    public async Task StartAsync() => _backend = await TestBackend.StartEchoAsync();

    [TearDown]
    public async Task StopAsync() => await _backend.DisposeAsync();

    private string Good() => new RoutesJson().Cluster("main", _backend.Address).Tool("tool", "main", "POST /work").ToString();

    [Test]
    public async Task MissingDescription_IsOneErrorNamingIt()
    {
        var errors = await RejectedErrorsAsync(Good().Replace("\"Description\": \"Test tool tool\",", "", StringComparison.Ordinal));

        Assert.That(errors, Has.Length.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0], Does.Contain("Route 'tool'").And.Contain("'Tool.Description' is required"));
    }

    [Test]
    public async Task InvalidJson_NamesTheLineAndColumnAnEditorShows()
    {
        // Line 3 (1-based) holds the mistake: a missing comma after the first property.
        var errors = await RejectedErrorsAsync("{\n  \"ReverseProxy\": {\n    \"Routes\": {} \"Clusters\": {}\n  }\n}");

        Assert.That(errors, Has.Length.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("routes.json is not valid JSON at line 3, column 18:").And.Not.Contain("LineNumber"));
    }

    [Test]
    public async Task BadMaxResultBytes_IsRejectedNamingTheKey()
    {
        var errors = await RejectedErrorsAsync(new RoutesJson().Cluster("main", _backend.Address)
            .Tool("tool", "main", "POST /work", routeExtras: """{"Metadata":{"Gateway.MaxResultBytes":"lots"}}""").ToString());

        Assert.That(errors, Has.Length.EqualTo(1));
        Assert.That(errors[0], Does.Contain("Route 'tool'").And.Contain("'Gateway.MaxResultBytes' is 'lots'").And.Contain("4194304"));
    }

    [Test]
    public async Task RejectedReload_ShowsInReadyAndStatusWithWhenAndWhy_UntilAGoodReload()
    {
        await using var gateway = await TestGateway.StartAsync(Good());
        using var http = new HttpClient { BaseAddress = gateway.Address };
        Assert.That((string?)(await GetAsync(http, "ready"))["checks"]!["config"]!["status"], Is.EqualTo("healthy"));

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, Good().Replace("\"Description\": \"Test tool tool\",", "", StringComparison.Ordinal));
        JsonNode ready = null!;
        await GatewayProbe.EventuallyAsync(async () => (string?)(ready = await GetAsync(http, "ready"))["status"] == "degraded", "/ready reports the rejection");

        // /ready is a probe: it still answers 200 (the last good configuration serves) and says "degraded"; the
        // details (file contents, errors) are for operators, in /status/health.
        Assert.That((string?)ready["checks"]!["config"]!["status"], Is.EqualTo("degraded"));
        var status = await GetAsync(http, "status/health");
        Assert.That((string?)status["status"], Is.EqualTo("DEGRADED"));
        var detail = (string)status["checks"]!["config"]!["detail"]!;
        Assert.That(detail, Does.Contain("serving the last good configuration").And.Contain("'Tool.Description' is required"));
        var at = DateTimeOffset.Parse(detail.Split(" at ")[1].Split(" was rejected")[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(at, Is.InRange(before, DateTimeOffset.UtcNow.AddSeconds(1)));

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, Good().Replace("POST /work", "POST /work2", StringComparison.Ordinal));
        await GatewayProbe.EventuallyAsync(async () => (string?)(await GetAsync(http, "ready"))["status"] == "ready", "a good reload clears it");
    }

    [Test]
    public async Task DeletedRoutesFile_IsLoggedOnce_AndItsReturnOnce()
    {
        var logs = new RecordingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(Good(),
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Override:Gateway.Proxy.Configuration"] = "Information" },
            builder => builder.Logging.AddProvider(logs));
        using var http = new HttpClient { BaseAddress = gateway.Address };

        File.Delete(gateway.RoutesPath);
        await GatewayProbe.EventuallyAsync(async () => (string?)(await GetAsync(http, "ready"))["status"] == "degraded", "/ready reports the unreadable file");
        await Task.Delay(1500); // several 200 ms polls

        Assert.That(logs.Records.Entries.Count(e => e.EventId.Id == 104), Is.EqualTo(1));
        Assert.That((string?)(await GetAsync(http, "status/health"))["checks"]!["config"]!["detail"], Does.Contain("cannot read"));

        await File.WriteAllTextAsync(gateway.RoutesPath, Good());
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(logs.Records.Entries.Any(e => e.EventId.Id == 105)), "the recovery is logged");
        await GatewayProbe.EventuallyAsync(async () => (string?)(await GetAsync(http, "ready"))["status"] == "ready", "/ready is healthy again");
        Assert.That(logs.Records.Entries.Count(e => e.EventId.Id == 104), Is.EqualTo(1));
    }

    private async Task<string[]> RejectedErrorsAsync(string routes)
    {
        var logs = new RecordingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(Good(), configure: builder => builder.Logging.AddProvider(logs));
        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, routes);
        await GatewayProbe.EventuallyAsync(() => Task.FromResult(logs.Records.Entries.Any(e => e.EventId.Id == 103)), "the reload is rejected");
        return logs.Records.Entries.Where(e => e.EventId.Id == 102).Select(e => Unquoted(e.Message["routes.json reload error: ".Length..])).ToArray();
    }

    /// <summary>Serilog renders a string argument in the message as a JSON string literal.</summary>
    private static string Unquoted(string rendered) =>
        rendered.StartsWith('"') ? System.Text.Json.JsonSerializer.Deserialize<string>(rendered)! : rendered;

    private static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
