using System.Text;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Configuration;
using Gateway.Transforms.Federation;

namespace Gateway.Tests.Federation;

/// <summary>An upstream's <c>Resources</c> and <c>Prompts</c> lists in routes.json: each mistake is one error naming the upstream and the key.</summary>
public sealed class FederatedPrimitiveListsConfigTests
{
    private RoutesValidatorHost _host = null!;

    [OneTimeSetUp]
    public void SetUp() => _host = new RoutesValidatorHost();

    [OneTimeTearDown]
    public void TearDown() => _host.Dispose();

    private static IEnumerable<TestCaseData> Mistakes()
    {
        yield return new TestCaseData("""{ "Resources": { "Exclude": [ "file:///public/../secret*" ] } }""",
            "Upstream 'up': 'Resources.Exclude' entry 'file:///public/../secret*' is not in canonical form, which is what URIs are matched on; write 'file:///secret*'").SetName("Validate_ResourcePatternWithDotSegments_IsRefusedNamingItsCanonicalForm");
        yield return new TestCaseData("""{ "Resources": { "Include": [ "FILE:///docs/*" ] } }""",
            "Upstream 'up': 'Resources.Include' entry 'FILE:///docs/*' is not in canonical form, which is what URIs are matched on; write 'file:///docs/*'").SetName("Validate_ResourcePatternWithUpperCaseScheme_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Exclude": [ "docs/secret" ] } }""",
            "Upstream 'up': 'Resources.Exclude' entry 'docs/secret' is not a resource URI pattern: it is not an absolute URI").SetName("Validate_RelativeResourcePattern_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Exclude": [ "file:///a%zz" ] } }""",
            "Upstream 'up': 'Resources.Exclude' entry 'file:///a%zz' is not a resource URI pattern: it has a '%' not followed by two hex digits").SetName("Validate_ResourcePatternWithBadEscape_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Exclude": [ "test://doc/{id" ] } }""",
            "Upstream 'up': 'Resources.Exclude' entry 'test://doc/{id' is not a resource URI pattern: it has a '{' that does not start a URI template expression").SetName("Validate_ResourcePatternWithUnclosedExpression_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Exclude": [ "file:///*/secret" ] } }""",
            "Upstream 'up': 'Resources.Exclude' entry 'file:///*/secret' may use '*' only at its end").SetName("Validate_ResourcePatternWithInnerStar_IsRefused");
        yield return new TestCaseData("""{ "Prompts": { "Exclude": [ "*-admin" ] } }""",
            "Upstream 'up': 'Prompts.Exclude' entry '*-admin' may use '*' only at its end").SetName("Validate_PromptPatternWithLeadingStar_IsRefused");
        yield return new TestCaseData("""{ "Prompts": { "Include": [ "greet" ], "Exclude": [ "greet" ] } }""",
            "Upstream 'up': 'greet' is both in 'Prompts.Include' and in 'Prompts.Exclude'").SetName("Validate_PromptInBothLists_IsRefused");
        yield return new TestCaseData("""{ "Resources": { "Hide": [ "file:///secret" ] } }""",
            "Upstream 'up': unknown key 'Resources.Hide'; allowed: Include, Exclude, Uris").SetName("Validate_UnknownResourcesKey_IsRefused");
        yield return new TestCaseData("""{ "Prompts": { "Exclude": "greet" } }""",
            "Upstream 'up': 'Prompts.Exclude' must be an array of upstream prompt names").SetName("Validate_PromptListNotAnArray_IsRefused");
        yield return new TestCaseData("""{ "Resources": [ "file:///secret" ] }""",
            "Upstream 'up': 'Resources' must be an object such as { \"Include\": [ ... ], \"Exclude\": [ ... ] }").SetName("Validate_ResourcesNotAnObject_IsRefused");
    }

    [TestCaseSource(nameof(Mistakes))]
    public async Task Validate_Mistake_IsOnePreciseError(string entry, string expected)
    {
        var (errors, _) = await ValidateAsync(entry);

        Assert.That(errors, Has.Exactly(1).Contains(expected), string.Join("\n", errors));
    }

    [Test]
    public async Task Validate_GoodLists_AreAccepted_AndFilterAsWritten()
    {
        var (errors, upstream) = await ValidateAsync("""
            { "Resources": { "Include": [ "test://doc/*", "demo://resource/dynamic/text/{resourceId}", "docs://manuals/{+path}", "*" ], "Exclude": [ "test://doc/secret*" ] },
              "Prompts": { "Exclude": [ "admin-*" ] } }
            """);
        Assert.That(errors, Is.Empty, string.Join("\n", errors));

        Assert.Multiple(() =>
        {
            Assert.That(upstream!.ResourceFilter.AllowsUri("test://doc/readme"), Is.True);
            Assert.That(upstream.ResourceFilter.AllowsUri("test://doc/public/../secret-plans"), Is.False);
            Assert.That(upstream.ResourceFilter.AllowsTemplate("test://doc/secret/{id}"), Is.False);
            Assert.That(upstream.ResourceFilter.AllowsTemplate("docs://manuals/{+path}"), Is.True);
            Assert.That(upstream.PromptFilter.Allows("admin-reset"), Is.False);
            Assert.That(upstream.PromptFilter.Allows("greet"), Is.True);
        });
    }

    [Test]
    public async Task Validate_ListsAndVerbatimUris_InOneResourcesObject_AreBothTaken()
    {
        var (errors, upstream) = await ValidateAsync("""{ "Resources": { "Uris": "Verbatim", "Exclude": [ "test://doc/secret*" ] } }""");
        Assert.That(errors, Is.Empty, string.Join("\n", errors));

        Assert.Multiple(() =>
        {
            Assert.That(upstream!.Declaration.ResourceUris, Is.EqualTo(UpstreamResourceUris.Verbatim));
            Assert.That(upstream.ResourceFilter.AllowsUri("test://doc/secret-plans"), Is.False);
            Assert.That(upstream.ResourceFilter.AllowsUri("test://doc/readme"), Is.True);
        });
    }

    private async Task<(List<string> Errors, UpstreamDefinition? Upstream)> ValidateAsync(string entry)
    {
        var errors = new List<string>();
        var document = RoutesDocumentParser.Parse(Encoding.UTF8.GetBytes(FederatedRoutes.With(new RoutesJson(), ("up", new Uri("http://127.0.0.1:9/"), entry))), errors);
        var validated = document is null ? null : await _host.Validator.ValidateAsync(document, 1, errors);
        return (errors, validated?.Upstreams.SingleOrDefault());
    }
}
