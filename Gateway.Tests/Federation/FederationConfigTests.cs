using System.Text;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Configuration;
using Gateway.Transforms.Federation;

namespace Gateway.Tests.Federation;

/// <summary>The Federation section of routes.json: every mistake is one precise error naming its upstream; what is not built yet is refused.</summary>
public sealed class FederationConfigTests
{
    private RoutesValidatorHost _host = null!;

    [OneTimeSetUp]
    public void SetUp() => _host = new RoutesValidatorHost();

    [OneTimeTearDown]
    public void TearDown() => _host.Dispose();

    private static IEnumerable<TestCaseData> Mistakes()
    {
        yield return new TestCaseData("""{ "ClusterId": "nowhere" }""", "Upstream 'up': cluster 'nowhere' is not declared in 'ReverseProxy.Clusters'").SetName("Validate_UnknownCluster_IsRefused");
        yield return new TestCaseData("""{ "ToolNames": { "Separator": "::" } }""", "Upstream 'up': 'ToolNames.Separator' '::' is invalid").SetName("Validate_BadSeparator_IsRefused");
        yield return new TestCaseData("""{ "ToolNames": { "Namespace": "a b" } }""", "Upstream 'up': 'ToolNames.Namespace' 'a b' is invalid").SetName("Validate_BadNamespace_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Websocket" }""", "Upstream 'up': unknown transport 'Websocket'").SetName("Validate_UnknownTransport_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio" }""", "Upstream 'up': the Stdio transport needs 'Command'").SetName("Validate_StdioWithoutCommand_IsRefused");
        yield return new TestCaseData("""{ "Command": "node" }""", "Upstream 'up': 'Command' applies to the Stdio transport only").SetName("Validate_CommandWithoutStdio_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio", "Command": "node", "Path": "/mcp" }""", "Upstream 'up': 'Path' does not apply to the Stdio transport").SetName("Validate_StdioWithPath_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio", "Command": "node", "Credential": { "Type": "None" } }""", "Upstream 'up': 'Credential' does not apply to the Stdio transport").SetName("Validate_StdioWithCredential_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio", "Command": "node", "Arguments": "server.js" }""", "Upstream 'up': 'Arguments' must be an array of strings").SetName("Validate_StdioArgumentsNotArray_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio", "Command": "node", "Environment": { "A": 1 } }""", "Upstream 'up': 'Environment.A' must be a string").SetName("Validate_StdioEnvironmentValueNotString_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio", "Command": "node", "WorkingDirectory": "/surely/not/a/directory" }""", "Upstream 'up': 'WorkingDirectory' '/surely/not/a/directory' is not an existing directory").SetName("Validate_StdioMissingWorkingDirectory_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuth2ClientCredentials" } }""", "Upstream 'up': unknown credential type 'OAuth2ClientCredentials'; use None, Bearer, ApiKeyHeader or OAuthClientCredentials").SetName("Validate_MisspeltOAuthType_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "None, Bearer", "FromEnvironment": "TOKEN" } }""", "Upstream 'up': unknown credential type 'None, Bearer'; use None, Bearer, ApiKeyHeader or OAuthClientCredentials").SetName("Validate_CombinedCredentialTypes_AreRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "ClientId": "gw", "FromFile": "/etc/hostname" } }""", "Upstream 'up': an OAuthClientCredentials credential needs 'TokenEndpoint'").SetName("Validate_OAuthWithoutTokenEndpoint_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "http://auth.example.com/token", "ClientId": "gw", "FromFile": "/etc/hostname" } }""", "Upstream 'up': 'Credential.TokenEndpoint' 'http://auth.example.com/token' must be an absolute https URL").SetName("Validate_OAuthPlainHttpTokenEndpoint_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "/token", "ClientId": "gw", "FromFile": "/etc/hostname" } }""", "Upstream 'up': 'Credential.TokenEndpoint' '/token' must be an absolute https URL").SetName("Validate_OAuthRelativeTokenEndpoint_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "https://user:pw@auth.example.com/token", "ClientId": "gw", "FromFile": "/etc/hostname" } }""", "must be an absolute https URL without user info").SetName("Validate_OAuthTokenEndpointWithUserInfo_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "https://auth.example.com/token", "FromFile": "/etc/hostname" } }""", "Upstream 'up': an OAuthClientCredentials credential needs 'ClientId'").SetName("Validate_OAuthWithoutClientId_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "https://auth.example.com/token", "ClientId": "gw" } }""", "Upstream 'up': an OAuthClientCredentials credential needs exactly one of 'FromEnvironment' (a variable name) or 'FromFile' (a path) holding the client secret").SetName("Validate_OAuthWithoutSecret_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "https://auth.example.com/token", "ClientId": "gw", "FromEnvironment": "GATEWAY_TEST_SURELY_UNSET_VARIABLE" } }""", "Upstream 'up': the credential's environment variable 'GATEWAY_TEST_SURELY_UNSET_VARIABLE' is not set").SetName("Validate_OAuthSecretVariableUnset_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "https://auth.example.com/token", "ClientId": "gw", "FromFile": "/etc/hostname", "Scope": "read \"all\"" } }""", "Upstream 'up': 'Credential.Scope' must be space-separated scope tokens").SetName("Validate_OAuthBadScope_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "https://auth.example.com/token", "ClientId": "gw", "FromFile": "/etc/hostname", "Resource": "upstream" } }""", "Upstream 'up': 'Credential.Resource' must be an absolute URI without fragment").SetName("Validate_OAuthRelativeResource_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "Bearer", "FromFile": "/etc/hostname", "TokenEndpoint": "https://auth.example.com/token" } }""", "Upstream 'up': 'Credential.TokenEndpoint' applies only to the OAuthClientCredentials type").SetName("Validate_TokenEndpointOnBearer_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "Bearer" } }""", "Upstream 'up': a Bearer credential needs exactly one of 'FromEnvironment'").SetName("Validate_BearerWithoutSource_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "Bearer", "FromEnvironment": "GATEWAY_TEST_SURELY_UNSET_VARIABLE" } }""", "Upstream 'up': the credential's environment variable 'GATEWAY_TEST_SURELY_UNSET_VARIABLE' is not set").SetName("Validate_CredentialVariableUnset_IsRefused");
        yield return new TestCaseData("""{ "Credential": { "Type": "ApiKeyHeader", "Header": "X-Gateway-Key", "FromFile": "/etc/hostname" } }""", "Upstream 'up': 'Credential.Header' 'X-Gateway-Key' cannot carry the credential").SetName("Validate_ApiKeyInGatewayHeader_IsRefused");
        yield return new TestCaseData("""{ "Include": [ "echo" ], "Exclude": [ "echo" ] }""", "Upstream 'up': 'echo' is both in 'Include' and in 'Exclude'").SetName("Validate_IncludeAndExcludeSameTool_IsRefused");
        yield return new TestCaseData("""{ "Exclude": [ "echo" ], "Tools": { "echo": { "Title": "x" } } }""", "Upstream 'up': 'Tools' configures 'echo', which 'Include'/'Exclude' leave out").SetName("Validate_OverrideOfExcludedTool_IsRefused");
        yield return new TestCaseData("""{ "Tools": { "echo": { "Name": "rest_tool" } } }""", "Upstream 'up', tool 'echo': name 'rest_tool' is already used by REST tool route 'rest_tool'").SetName("Validate_OverrideNameCollidesWithRestTool_IsRefused");
        yield return new TestCaseData("""{ "ToolNames": { "Namespace": "rest" , "Separator": "_" } }""", "Upstream 'up': REST tool 'rest_tool' (route 'rest_tool') uses this upstream's tool name prefix 'rest_'").SetName("Validate_NamespaceCoversRestTool_IsRefused");
        yield return new TestCaseData("""{ "Colour": "red" }""", "Upstream 'up': unknown key 'Colour'").SetName("Validate_UnknownKey_IsRefused");
        yield return new TestCaseData("""{ "Tools": { "echo": { "Colour": "red" } } }""", "Upstream 'up', tool 'echo': unknown key 'Colour'").SetName("Validate_UnknownToolKey_IsRefused");
        yield return new TestCaseData("""{ "Tools": { "echo": { "Transforms": [ { "McpToolRequest": "POST /x" } ] } } }""", "does not apply to a federated tool; only the validators ValidateCypher and ValidatePath").SetName("Validate_NonValidatorTransform_IsRefused");
        yield return new TestCaseData("""{ "Tools": { "q": { "Transforms": [ { "ValidateCypher": "query", "MaxVariableLengthHops": "lots" } ] } } }""", "Upstream 'up': ").SetName("Validate_BadValidatorEntry_IsRefusedByItsFactory");
        yield return new TestCaseData("""{ "RateLimiterPolicy": "no-such-policy" }""", "Upstream 'up': ").SetName("Validate_UnknownRateLimiterPolicy_IsRefusedByYarp");
        yield return new TestCaseData("""{ "Path": "mcp" }""", "Upstream 'up': 'Path' must be an absolute path").SetName("Validate_RelativePath_IsRefused");
        yield return new TestCaseData("""{ "SessionScope": "PerCall" }""", "Upstream 'up': unknown SessionScope 'PerCall'; use 'Shared'").SetName("Validate_UnknownSessionScope_IsRefused");
        yield return new TestCaseData("""{ "Transport": "Stdio", "Command": "node", "SessionScope": "Principal" }""", "Upstream 'up': SessionScope 'Principal' needs a StreamableHttp upstream").SetName("Validate_PrincipalScopeOverStdio_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Uris": "Bare" } }""", "Upstream 'up': 'Resources.Uris' must be \"Prefixed\"").SetName("Validate_UnknownResourceUrisForm_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Uris": "1" } }""", "Upstream 'up': 'Resources.Uris' must be \"Prefixed\"").SetName("Validate_NumericResourceUrisForm_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Uris": "Prefixed, Verbatim" } }""", "Upstream 'up': 'Resources.Uris' must be \"Prefixed\"").SetName("Validate_ListOfResourceUrisForms_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Url": "Verbatim" } }""", "Upstream 'up': unknown key 'Resources.Url'; allowed: Include, Exclude, Uris").SetName("Validate_UnknownResourcesKey_IsRefused");
        yield return new TestCaseData("""{ "Resources": "Verbatim" }""", "Upstream 'up': 'Resources' must be an object").SetName("Validate_ResourcesNotAnObject_IsRefused");
    }

    [TestCaseSource(nameof(Mistakes))]
    public async Task Validate_Mistake_IsOnePreciseError(string entry, string expected)
    {
        var errors = await ValidateAsync(("up", entry));

        Assert.That(errors, Has.Exactly(1).Contains(expected), string.Join("\n", errors));
    }

    [Test]
    public async Task Validate_TwoUpstreamsWithOnePrefix_IsRefused()
    {
        var errors = await ValidateAsync(("a", """{ "ToolNames": { "Namespace": "shared" } }"""), ("b", """{ "ToolNames": { "Namespace": "shared" } }"""));

        Assert.That(errors, Has.Exactly(1).Contains("Upstream 'b': tool names starting 'shared__' could collide with upstream 'a''s"), string.Join("\n", errors));
    }

    [Test]
    public async Task Validate_TwoUpstreamsWithVerbatimResourceUris_IsOneErrorNamingBoth()
    {
        var errors = await ValidateAsync(
            ("a", """{ "Resources": { "Uris": "Verbatim" } }"""), ("b", """{ "Resources": { "Uris": "Prefixed" } }"""), ("c", """{ "Resources": { "Uris": "verbatim" } }"""));

        Assert.That(errors, Has.Exactly(1).Contains("Upstreams 'a', 'c': 'Resources.Uris' is \"Verbatim\" on more than one upstream"), string.Join("\n", errors));
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
    }

    [Test]
    public async Task Validate_ResourceUris_DefaultToPrefixed_AndOneVerbatimIsAccepted()
    {
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(Routes(("a", """{ "Resources": { "Uris": "Verbatim" } }"""), ("b", "{}"))), new List<string>())!;
        var errors = new List<string>();
        var validated = await _host.Validator.ValidateAsync(document, 1, errors);

        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        Assert.That(validated!.Upstreams.ToDictionary(u => u.Server, u => u.Declaration.ResourceUris), Is.EqualTo(new Dictionary<string, UpstreamResourceUris>
        {
            ["a"] = UpstreamResourceUris.Verbatim,
            ["b"] = UpstreamResourceUris.Prefixed,
        }));
    }

    [Test]
    public async Task Validate_GoodUpstream_AddsItsHiddenRoutes()
    {
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(Routes(("up", """{ "Tools": { "q": { "RateLimiterPolicy": "default" } } }"""))), new List<string>())!;
        var errors = new List<string>();
        var validated = await _host.Validator.ValidateAsync(document, 1, errors);

        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        Assert.That(validated!.Routes.Select(r => r.RouteId), Is.SupersetOf(new[] { "federation/up", "federation/up/q" }));
        Assert.That(validated.Upstreams.Single().Names.Expose("echo"), Is.EqualTo("up__echo"));
    }

    [Test]
    public async Task Validate_StdioUpstream_IsAccepted_WithRoutesWithoutCluster()
    {
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(Routes(("local", """
            { "Transport": "Stdio", "Command": "node", "Arguments": [ "server.js", "stdio" ], "Environment": { "MODE": "test" }, "WorkingDirectory": "/tmp" }
            """))), new List<string>())!;
        var errors = new List<string>();
        var validated = await _host.Validator.ValidateAsync(document, 1, errors);

        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        var upstream = validated!.Upstreams.Single();
        Assert.Multiple(() =>
        {
            Assert.That(upstream.Declaration.Process!.Command, Is.EqualTo("node"));
            Assert.That(upstream.Declaration.Process.Arguments, Is.EqualTo(new[] { "server.js", "stdio" }));
            Assert.That(upstream.Declaration.Process.Environment["MODE"], Is.EqualTo("test"));
            Assert.That(upstream.ClusterId, Is.EqualTo("stdio:local"));
            Assert.That(validated.Routes.Single(r => r.RouteId == "federation/local").ClusterId, Is.Null);
        });
    }

    [TestCase("""{ "Transport": "Sse" }""", "/sse")]
    [TestCase("""{ "Transport": "sse", "Path": "/legacy/sse" }""", "/legacy/sse")]
    public async Task Validate_SseUpstream_IsAccepted_WithItsPath(string entry, string path)
    {
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(Routes(("up", entry))), new List<string>())!;
        var errors = new List<string>();
        var validated = await _host.Validator.ValidateAsync(document, 1, errors);

        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        var upstream = validated!.Upstreams.Single();
        Assert.Multiple(() =>
        {
            Assert.That(upstream.Declaration.Transport, Is.EqualTo(UpstreamTransport.Sse));
            Assert.That(upstream.Path, Is.EqualTo(path));
            Assert.That(upstream.ClusterId, Is.EqualTo("up-cluster"), "an SSE upstream runs on a YARP cluster like a Streamable HTTP one");
        });
    }

    [TestCase("http://127.0.0.1:9/token")]
    [TestCase("http://localhost:9/token")]
    [TestCase("https://auth.example.com/oauth2/token")]
    public async Task Validate_OAuthCredential_IsAccepted_WithItsGrant(string tokenEndpoint)
    {
        var entry = $$"""
            { "Credential": { "Type": "OAuthClientCredentials", "TokenEndpoint": "{{tokenEndpoint}}", "ClientId": "gateway",
              "FromFile": "/etc/hostname", "Scope": "tools:call tools:list", "Resource": "https://upstream.example.com/mcp", "Audience": "upstream-api" } }
            """;
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(Routes(("up", entry))), new List<string>())!;
        var errors = new List<string>();
        var validated = await _host.Validator.ValidateAsync(document, 1, errors);

        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        var grant = validated!.Upstreams.Single().Credential.OAuth!;
        Assert.Multiple(() =>
        {
            Assert.That(grant.TokenEndpoint, Is.EqualTo(new Uri(tokenEndpoint)));
            Assert.That(grant.ClientId, Is.EqualTo("gateway"));
            Assert.That(grant.Scope, Is.EqualTo("tools:call tools:list"));
            Assert.That(grant.Resource, Is.EqualTo(new Uri("https://upstream.example.com/mcp")));
            Assert.That(grant.Audience, Is.EqualTo("upstream-api"));
        });
    }

    [TestCase("Federations")]
    [TestCase("Upstreams")]
    [TestCase("Routes")]
    public void Parse_UnknownTopLevelSection_IsRefusedWithItsName(string section)
    {
        // A misspelt or misplaced section would otherwise be read as nothing at all.
        var errors = new List<string>();
        RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes($$"""{ "ReverseProxy": { "Routes": {}, "Clusters": {} }, "{{section}}": {} }"""), errors);

        Assert.That(errors, Is.EqualTo(new[] { $"'{section}' is not a known section of routes.json; use 'ReverseProxy' and 'Federation'" }));
    }

    [Test]
    public async Task SampleRoutes_AreValid_AndExcludeGetEnv()
    {
        var validated = await ValidateSampleAsync("routes.json");
        var everything = validated.Upstreams.Single();
        Assert.Multiple(() =>
        {
            Assert.That(everything.Server, Is.EqualTo("everything"));
            Assert.That(everything.Filter.Allows("get-env"), Is.False);
            Assert.That(everything.Filter.Allows("echo"), Is.True);
            Assert.That(validated.Catalog.Tools.Select(t => t.Name), Is.SupersetOf(new[] { "graph_query", "semantic_search" }), "the demo routes are all there");
        });
    }

    [Test]
    public async Task ConformanceRoutes_AreValid_AndKeepTheUpstreamsToolNames()
    {
        // samples/federation/conformance.routes.json is what `dotnet cake --target=ConformanceFederated` serves.
        var validated = await ValidateSampleAsync("conformance.routes.json");
        var conformance = validated.Upstreams.Single();
        Assert.Multiple(() =>
        {
            Assert.That(conformance.Names.Expose("echo"), Is.EqualTo("echo"), "Namespace \"\": the scenarios call the upstream's own names");
            Assert.That(conformance.Declaration.ResourceUris, Is.EqualTo(UpstreamResourceUris.Verbatim), "the scenarios read and subscribe to test:// URIs");
            Assert.That(conformance.Declaration.Transport, Is.EqualTo(UpstreamTransport.StreamableHttp));
            Assert.That(validated.Catalog.Tools, Is.Empty, "no REST tools beside the upstream's");
        });
    }

    private async Task<List<string>> ValidateAsync(params (string Server, string Entry)[] upstreams)
    {
        var errors = new List<string>();
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(Routes(upstreams)), errors);
        if (document is not null)
        {
            await _host.Validator.ValidateAsync(document, 1, errors);
        }

        return errors;
    }

    private static string Routes(params (string Server, string Entry)[] upstreams) =>
        FederatedRoutes.With(
            new RoutesJson().Cluster("rest", new Uri("http://127.0.0.1:9/")).Tool("rest_tool", "rest", "POST /x"),
            upstreams.Select(u => (u.Server, new Uri("http://127.0.0.1:9/"), u.Entry)).ToArray());

    /// <summary>Parses and validates a routes file of samples/federation, asserting it has no errors.</summary>
    private async Task<ValidatedRoutes> ValidateSampleAsync(string fileName)
    {
        var json = await File.ReadAllBytesAsync(Path.Combine(SeedRoutes.RepositoryRoot, "samples", "federation", fileName));
        var errors = new List<string>();
        var document = RoutesDocumentParser.Parse(json, errors);
        var validated = document is null ? null : await _host.Validator.ValidateAsync(document, 1, errors);

        Assert.That(errors, Is.Empty, string.Join("\n", errors));
        return validated!;
    }
}
