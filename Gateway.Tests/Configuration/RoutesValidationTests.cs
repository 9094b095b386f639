using Gateway.Transforms.Configuration;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Configuration;

/// <summary>routes.json parsing and validation: every problem is reported, each naming its route or cluster.</summary>
public sealed class RoutesValidationTests
{
    private RoutesValidatorHost _host = null!;
    private RoutesValidator _validator = null!;

    [OneTimeSetUp]
    public void CreateValidator()
    {
        _host = new RoutesValidatorHost();
        _validator = _host.Validator;
    }

    [OneTimeTearDown]
    public void Dispose() => _host.Dispose();

    [Test]
    public async Task ShippedRoutesJson_IsValidAndDeclaresTheNineSeedTools()
    {
        var (validated, errors) = await ValidateAsync(SeedRoutes.Load());
        Assert.That(errors, Is.Empty);
        Assert.That(validated!.Catalog.Tools, Has.Count.EqualTo(9));
        Assert.That(validated.Routes.Single(r => r.RouteId == "search-api").Match.Path, Is.EqualTo("/api/search/{**rest}"));
    }

    [Test]
    public async Task SchemaIsRealJson_NumbersAndBooleansKeepTheirTypes()
    {
        var (validated, _) = await ValidateAsync(SeedRoutes.Load());
        var tool = validated!.Catalog.Tools.Single(t => t.Name == "semantic_search");
        var topK = tool.ProtocolTool.InputSchema.GetProperty("properties").GetProperty("top_k");
        Assert.That(topK.GetProperty("maximum").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Number));
        Assert.That(tool.ProtocolTool.InputSchema.GetProperty("additionalProperties").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.False));
    }

    [Test]
    public async Task InvalidDocument_ReportsEveryErrorNamingItsRoute()
    {
        var routes = new RoutesJson()
            .Cluster("c", new Uri("http://127.0.0.1:1/"))
            .Tool("dup_a", "c", "POST /a")
            .Tool("dup_b", "c", "POST /b")
            .Tool("orphan", "missing-cluster", "POST /o")
            .Tool("bad_schema", "c", "POST /s", inputSchema: """{"type":"object","properties":{"x":{"type":"integr"}}}""")
            .Tool("unknown_key", "c", "POST /u", extraTransformKeys: "\"Bogus\":\"1\"")
            .Tool("hole", "c", "POST /h/{nope}")
            .Route("typo", """{"ClusterId":"c","Match":{"Path":"/t"},"Transforms":[{"NoSuchTransform":"x"}]}""")
            .Route("bad_cypher", """{"ClusterId":"c","Match":{"Path":"/q"},"Transforms":[{"ValidateCypher":"query","MaxVariableLengthHops":"lots"}]}""")
            .Route("bad_root", """{"ClusterId":"c","Match":{"Path":"/p"},"Transforms":[{"ValidatePath":"path","AllowedRoots":"relative/root"}]}""")
            .ToString()
            .Replace("\"Test tool dup_b\"", "\"Test tool dup_b\",\"Name\":\"dup_a\"", StringComparison.Ordinal);

        var (validated, errors) = await ValidateAsync(routes);
        var all = string.Join("\n", errors);

        Assert.That(validated, Is.Null);
        Assert.That(all, Does.Contain("Route 'dup_b'").And.Contain("already used by route 'dup_a'"));
        Assert.That(all, Does.Contain("Route 'orphan'").And.Contain("'missing-cluster' is not declared"));
        Assert.That(all, Does.Contain("Route 'bad_schema'").And.Contain("integr"));
        Assert.That(all, Does.Contain("Route 'unknown_key'").And.Contain("Bogus"));
        Assert.That(all, Does.Contain("Route 'hole'").And.Contain("'nope'"));
        Assert.That(all, Does.Contain("Route 'typo'").And.Contain("NoSuchTransform"));
        Assert.That(all, Does.Contain("Route 'bad_cypher'").And.Contain("MaxVariableLengthHops"));
        Assert.That(all, Does.Contain("Route 'bad_root'").And.Contain("AllowedRoots"));
    }

    [Test]
    public async Task HashCookieAffinity_IsAccepted()
    {
        var routes = new RoutesJson()
            .ClusterRaw("sticky", """{"SessionAffinity":{"Enabled":true,"Policy":"HashCookie","AffinityKeyName":"k"},"Destinations":{"d":{"Address":"http://127.0.0.1:1/"}}}""")
            .Route("r", """{"ClusterId":"sticky","Match":{"Path":"/x"}}""")
            .ToString();

        var (_, errors) = await ValidateAsync(routes);
        Assert.That(errors, Is.Empty, "YARP 2.3 ships HashCookie with its hashing dependency");
    }

    [TestCase("""{"ReverseProxy":{"Routes":{"r":{"ClusterId":"c","Match":{"Path":"/x"},"Transfroms":[]}},"Clusters":{"c":{}}}}""", "Transfroms")]
    [TestCase("""{"Routes":{}}""", "'ReverseProxy' section")]
    [TestCase("""{"ReverseProxy":{"Routes":{"r":{"ClusterId":"c","Tool":{"Description":"d","InputSchema":"{\"type\":\"object\"}"},"Transforms":[{"McpToolRequest":"POST /x"}]}},"Clusters":{"c":{}}}}""", "not an escaped string")]
    [TestCase("""{"ReverseProxy":{"Routes":{"r":{"ClusterId":"c","Tool":{"InputSchema":{"type":"object"}},"Transforms":[{"McpToolRequest":"POST /x"}]}},"Clusters":{"c":{}}}}""", "Description' is required")]
    [TestCase("{ not json", "not valid JSON")]
    public async Task MalformedDocument_SaysWhatIsWrong(string json, string expected)
    {
        var (_, errors) = await ValidateAsync(json);
        Assert.That(string.Join("\n", errors), Does.Contain(expected));
    }

    private async Task<(ValidatedRoutes? Validated, List<string> Errors)> ValidateAsync(string json)
    {
        var errors = new List<string>();
        var document = RoutesDocumentParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), errors);
        var validated = document is null ? null : await _validator.ValidateAsync(document, 1, errors);
        return (errors.Count == 0 ? validated : null, errors);
    }
}
