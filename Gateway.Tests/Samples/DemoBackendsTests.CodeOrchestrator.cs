using System.Net;
using System.Text.Json;
using DemoBackends;

namespace Gateway.Tests.Samples;

public sealed partial class DemoBackendsTests
{
    [TestCase("src/Billing/InvoiceService.cs", "csharp", 30, 5, 4, """["InvoiceService","Total","IsOverdue"]""", 1)]
    [TestCase("src/scripts/report.py", "python", 13, 4, 2, """["fetch_orders","render"]""", 1)]
    [TestCase("web/js/legacy.js", "javascript", 12, 2, 1, """["loadWidget","retry"]""", 0)]
    [TestCase("web/js/util/format.js", "javascript", 11, 1, 3, """["formatBytes"]""", 0)]
    [TestCase("config/settings.yaml", "yaml", 7, 0, 1, "[]", 0)]
    public async Task Analyze_File_CountsLinesCommentsFunctionsAndTodos(
        string path, string language, int lines, int blank, int comments, string functions, int todos)
    {
        var (status, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/analyze", JsonSerializer.Serialize(new { path }));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), Json(body));
        Assert.That(body.GetProperty("path").GetString(), Is.EqualTo(path));
        Assert.That(body.GetProperty("language").GetString(), Is.EqualTo(language));
        Assert.That(body.GetProperty("lines").GetInt32(), Is.EqualTo(lines));
        Assert.That(body.GetProperty("blank_lines").GetInt32(), Is.EqualTo(blank));
        Assert.That(body.GetProperty("comment_lines").GetInt32(), Is.EqualTo(comments));
        Assert.That(Json(body.GetProperty("functions")), Is.EqualTo(functions));
        Assert.That(body.GetProperty("todos").GetInt32(), Is.EqualTo(todos));
    }

    [Test]
    public async Task Analyze_LanguageOverride_UsesThatLanguagesCommentSyntax()
    {
        var (_, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/analyze", """{"path":"config/settings.yaml","language":"text"}""");

        Assert.That(body.GetProperty("language").GetString(), Is.EqualTo("text"));
        Assert.That(body.GetProperty("comment_lines").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Analyze_Directory_SummarisesEachFileBelowIt()
    {
        var (status, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/analyze", """{"path":"web"}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("kind").GetString(), Is.EqualTo("directory"));
        Assert.That(body.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()),
            Is.EqualTo(new[] { "web/js/legacy.js", "web/js/util/format.js" }));
        Assert.That(body.GetProperty("total_files").GetInt32(), Is.EqualTo(2));
        Assert.That(body.GetProperty("total_lines").GetInt32(), Is.EqualTo(23));
    }

    [Test]
    public async Task Analyze_RootWithLanguageFilter_KeepsOnlyThatLanguage()
    {
        var (_, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/analyze", """{"path":".","language":"python"}""");

        Assert.That(body.GetProperty("path").GetString(), Is.EqualTo("."));
        Assert.That(body.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()),
            Is.EqualTo(new[] { "src/scripts/report.py" }));
    }

    [Test]
    public async Task Analyze_AbsolutePathInsideCodeRoot_IsAccepted()
    {
        var absolute = Path.Combine(new DemoBackendOptions().CodeRoot, "README.md");

        var (status, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/analyze", JsonSerializer.Serialize(new { path = absolute }));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("path").GetString(), Is.EqualTo("README.md"));
    }

    [TestCase("v1/analyze", "../../../../etc/passwd")]
    [TestCase("v1/analyze", "/etc/passwd")]
    [TestCase("v1/analyze", "src/../../DemoBackends.csproj")]
    [TestCase("v1/analyze", "../sample-repo-evil/secrets.txt")]
    [TestCase("v1/analyze", "..")]
    [TestCase("v1/patterns/audit", "../")]
    [TestCase("v1/patterns/audit", "/")]
    public async Task CodeEndpoints_PathOutsideCodeRoot_Returns403(string endpoint, string path)
    {
        var (status, body) = await PostAsync(BackendNames.CodeOrchestrator, endpoint, JsonSerializer.Serialize(new { path }));

        AssertError(status, body, HttpStatusCode.Forbidden, "forbidden_path", "outside the code root");
    }

    [TestCase("v1/analyze", """{"path":"src/missing.cs"}""", HttpStatusCode.NotFound, "not_found", "src/missing.cs")]
    [TestCase("v1/analyze", "{}", HttpStatusCode.BadRequest, "missing_field", "'path'")]
    [TestCase("v1/analyze", """{"path":"README.md","language":"cobol"}""", HttpStatusCode.BadRequest, "invalid_field", "'language'")]
    [TestCase("v1/analyze", """{"path":"a\u0000b"}""", HttpStatusCode.BadRequest, "invalid_field", "'path'")]
    [TestCase("v1/patterns/audit", """{"path":"."  ,"patterns":["shell-exec"]}""", HttpStatusCode.BadRequest, "invalid_field", "'patterns'")]
    [TestCase("v1/patterns/audit", """{"path":".","patterns":[]}""", HttpStatusCode.BadRequest, "invalid_field", "'patterns'")]
    [TestCase("v1/patterns/audit", """{"patterns":["todo"]}""", HttpStatusCode.BadRequest, "missing_field", "'path'")]
    public async Task CodeEndpoints_BadRequest_ReturnsErrorNamingTheProblem(
        string endpoint, string json, HttpStatusCode expected, string error, string mentions)
    {
        var (status, body) = await PostAsync(BackendNames.CodeOrchestrator, endpoint, json);

        AssertError(status, body, expected, error, mentions);
    }

    [Test]
    public async Task Audit_WholeTreeWithDefaultPatterns_FindsEveryPlantedIssue()
    {
        var (status, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/patterns/audit", """{"path":"."}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Json(body.GetProperty("patterns")), Is.EqualTo("""["hardcoded-secret","eval-call","todo","sql-concat"]"""));
        var findings = body.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("file").GetString()}:{f.GetProperty("line").GetInt32()}:{f.GetProperty("pattern").GetString()}");
        Assert.That(findings, Is.EqualTo(new[]
        {
            "README.md:11:todo",
            "config/settings.yaml:7:hardcoded-secret",
            "src/Billing/InvoiceService.cs:20:todo",
            "src/scripts/report.py:6:sql-concat",
            "src/scripts/report.py:11:todo",
            "web/js/legacy.js:2:hardcoded-secret",
            "web/js/legacy.js:5:eval-call",
        }));
    }

    [Test]
    public async Task Audit_HardcodedSecret_MasksTheValueInTheExcerpt()
    {
        var (_, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/patterns/audit",
            """{"path":"web/js/legacy.js","patterns":["hardcoded-secret"]}""");

        var finding = body.GetProperty("findings")[0];
        Assert.That(finding.GetProperty("excerpt").GetString(), Is.EqualTo("var password = \"***\";"));
        Assert.That(Json(body), Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Audit_SelectedPattern_ReportsOnlyThatPattern()
    {
        var (_, body) = await PostAsync(BackendNames.CodeOrchestrator, "v1/patterns/audit", """{"path":"web","patterns":["eval-call"]}""");

        Assert.That(Json(body.GetProperty("findings")),
            Is.EqualTo("""[{"file":"web/js/legacy.js","line":5,"pattern":"eval-call","excerpt":"return eval(source);"}]"""));
    }

    [Test]
    public async Task Analyze_SymlinkPointingOutsideCodeRoot_Returns403()
    {
        var sandbox = Directory.CreateTempSubdirectory("demo-backends-");
        try
        {
            var root = Directory.CreateDirectory(Path.Combine(sandbox.FullName, "root"));
            var outside = Path.Combine(sandbox.FullName, "outside.txt");
            await File.WriteAllTextAsync(outside, "password = 'leak'\n");
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "inside.py"), "def ok():\n    pass\n");
            File.CreateSymbolicLink(Path.Combine(root.FullName, "link.txt"), outside);
            var options = new DemoBackendOptions
            {
                LlmGatewayPort = 0, SemanticSearchPort = 0, AiAgentsPort = 0, CodeOrchestratorPort = 0, CodeRoot = root.FullName,
            };
            await using var host = await DemoBackendHost.StartAsync(options);

            using var linked = await _http.PostAsync(new Uri(host.CodeOrchestrator, "v1/analyze"), new StringContent("""{"path":"link.txt"}"""));
            using var inside = await _http.PostAsync(new Uri(host.CodeOrchestrator, "v1/analyze"), new StringContent("""{"path":"inside.py"}"""));

            Assert.That(linked.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(inside.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            sandbox.Delete(recursive: true);
        }
    }
}
