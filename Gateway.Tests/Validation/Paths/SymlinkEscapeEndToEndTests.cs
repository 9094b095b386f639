using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DemoBackends;
using Gateway.Proxy.Configuration;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Resilience;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Validation.Paths;

/// <summary>
/// A real directory tree whose "docs/escape" links out of the root (to a sibling directory and to /etc): the gateway
/// refuses it when it resolves links itself, the demo code-orchestrator refuses it when the route leaves links to the
/// backend, and a root the gateway cannot see stops startup and is refused on reload.
/// </summary>
[Platform(Exclude = "Win", Reason = "POSIX symlink semantics")]
public sealed class SymlinkEscapeEndToEndTests
{
    private DirectoryInfo _sandbox = null!;
    private string _root = null!;
    private DemoBackendHost _backends = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task CreateTreeAsync()
    {
        _sandbox = Directory.CreateTempSubdirectory("symlink-e2e-");
        _root = Directory.CreateDirectory(Path.Combine(_sandbox.FullName, "repo")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_sandbox.FullName, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "docs"));
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        await File.WriteAllTextAsync(Path.Combine(_root, "src", "main.py"), "def main():\n    pass\n");
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.py"), "password = 'leak'\n");
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs", "escape"), "/etc");
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs", "sibling"), "../../outside");
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs", "hop"), "sibling");
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs", "dotdot"), "../src/../../outside");
        Directory.CreateSymbolicLink(Path.Combine(_root, "docs", "inner"), "../src");
        _backends = await DemoBackendHost.StartAsync(new DemoBackendOptions
        {
            LlmGatewayPort = 0, SemanticSearchPort = 0, AiAgentsPort = 0, CodeOrchestratorPort = 0, CodeRoot = _root,
        });
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task DeleteTreeAsync()
    {
        _http.Dispose();
        await _backends.DisposeAsync();
        _sandbox.Delete(recursive: true);
    }

    public static IEnumerable<string> Escapes => ["docs/escape/passwd", "docs/escape", "docs/sibling/secret.py", "docs/hop/secret.py", "docs/dotdot/secret.py", "docs/sibling"];

    [TestCaseSource(nameof(Escapes))]
    public async Task DemoBackend_PathThroughALinkOutOfItsRoot_Is403(string path)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_backends.CodeOrchestrator, "v1/analyze"), new { path });
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), text);
        Assert.That(text, Does.Not.Contain("root:").And.Not.Contain("leak"));
    }

    [Test]
    public async Task DemoBackend_LinkThatStaysInsideTheRoot_IsServed()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_backends.CodeOrchestrator, "v1/analyze"), new { path = "docs/inner/main.py" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCaseSource(nameof(Escapes))]
    public async Task Gateway_ResolvingLinksItself_RefusesToolCallAndPassthrough(string path)
    {
        await using var gateway = await TestGateway.StartAsync(Routes(_root, symlinks: null));
        using var http = new HttpClient { BaseAddress = gateway.Address };
        var before = _backends.Faults.CodeOrchestrator.RequestCount;

        var (status, error, text) = await GatewayProbe.CallToolTextAsync(http, "code_analyze", new { path });
        using var passthrough = await http.PostAsync("api/code/analyze", new StringContent($$"""{"path":"{{path}}"}""", Encoding.UTF8, "application/json"));
        var passthroughError = await passthrough.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That((status, error), Is.EqualTo((400, "PathValidationError")), text);
        Assert.That(text, Does.Contain("symbolic link"));
        Assert.That(passthrough.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)passthroughError!["error"], Is.EqualTo("PathValidationError"));
        Assert.That(_backends.Faults.CodeOrchestrator.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task Gateway_WithBackendConfines_LeavesTheEscapeToTheBackendWhichRefusesIt()
    {
        await using var gateway = await TestGateway.StartAsync(Routes("/repo", symlinks: "BackendConfines"));
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "code_analyze", new { path = "/repo/docs/escape/passwd" });
        var (okStatus, _, okText) = await GatewayProbe.CallToolTextAsync(http, "code_analyze", new { path = "src/main.py" });

        Assert.That(status, Is.EqualTo(422), text);
        Assert.That(text, Does.Contain("outside the code root").And.Not.Contain("root:"));
        Assert.That(okStatus, Is.EqualTo(200), okText);
    }

    [Test]
    public async Task Gateway_RootItCannotSee_StopsStartupNamingRouteRootAndFixes()
    {
        var failure = await Assert.ThrowsAsync<RoutesConfigException>(() => TestGateway.StartAsync(Routes("/repo-not-on-this-host", symlinks: null)));

        Assert.That(failure!.Errors, Has.Some.StartsWith("Route 'code_analyze'").And.Contains("'/repo-not-on-this-host' does not exist on the gateway host")
            .And.Contains("BackendConfines").And.Contains("visible to the gateway"));
    }

    [Test]
    public async Task Gateway_ReloadWithARootItCannotSee_KeepsTheLastGoodConfigAndLogsTheError()
    {
        var logs = new RecordingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(Routes(_root, symlinks: null), configure: builder => builder.Logging.AddProvider(logs));
        using var http = new HttpClient { BaseAddress = gateway.Address };

        await GatewayProbe.WriteAtomicallyAsync(gateway.RoutesPath, Routes("/repo-not-on-this-host", symlinks: null));
        await GatewayProbe.EventuallyAsync(async () => await GatewayProbe.ScrapeAsync(http, """mcp_config_reloads_total{result="failure"}""") >= 1, "the failed reload is counted");

        var messages = logs.Records.Entries.Select(e => e.Message).ToArray();
        Assert.That(messages, Has.Some.Contains("Route 'code_analyze'").And.Contains("/repo-not-on-this-host").And.Contains("BackendConfines"));
        var (status, _, text) = await GatewayProbe.CallToolTextAsync(http, "code_analyze", new { path = "docs/escape/passwd" });
        Assert.That(status, Is.EqualTo(400), text);
        Assert.That(text, Does.Contain("symbolic link"));
    }

    private string Routes(string root, string? symlinks)
    {
        var validate = $$"""{"ValidatePath":"path","AllowedRoots":"{{root}}","ForwardRelative":"true"{{(symlinks is null ? "" : $",\"Symlinks\":\"{symlinks}\"")}}}""";
        return new RoutesJson()
            .Cluster("code", _backends.CodeOrchestrator)
            .Route("code_analyze", $$"""
                { "ClusterId": "code",
                  "Tool": { "Description": "Analyze code", "InputSchema": { "type": "object", "properties": { "path": { "type": "string" } }, "required": [ "path" ] } },
                  "Transforms": [ {{validate}}, { "McpToolRequest": "POST /v1/analyze" } ] }
                """)
            .Route("code-api", $$"""{"ClusterId":"code","Match":{"Path":"/api/code/{**rest}"},"Transforms":[{{validate}},{"PathPattern":"/v1/{**rest}"}]}""")
            .ToString();
    }
}
