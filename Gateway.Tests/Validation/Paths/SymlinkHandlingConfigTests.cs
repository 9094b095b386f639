using Gateway.Transforms.Configuration;
using Gateway.Transforms.Validation.Paths;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Validation.Paths;

/// <summary>
/// The Symlinks setting is explicit: a root the gateway cannot see is a configuration error unless the route says the
/// backend confines links, and the legacy ResolveSymlinks key is never accepted and then ignored.
/// </summary>
public sealed class SymlinkHandlingConfigTests
{
    private const string MissingRoot = "/definitely/not/on/this/gateway/repo";

    private RoutesValidatorHost _host = null!;
    private RoutesValidator _validator = null!;
    private DirectoryInfo _existing = null!;

    [OneTimeSetUp]
    public void CreateValidator()
    {
        _host = new RoutesValidatorHost();
        _validator = _host.Validator;
        _existing = Directory.CreateTempSubdirectory("symlink-config-");
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _host.Dispose();
        _existing.Delete(recursive: true);
    }

    [Test]
    public void ValidatePolicy_RootMissingOnGatewayHost_NamesTheRootAndBothFixes()
    {
        var errors = ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [MissingRoot] });

        Assert.That(errors, Has.Exactly(1).Contains($"'{MissingRoot}' does not exist on the gateway host")
            .And.Contains("visible to the gateway")
            .And.Contains("\"Symlinks\": \"BackendConfines\""));
    }

    [Test]
    public void Constructor_RootMissingOnGatewayHost_Throws()
    {
        Assert.That(() => new ConfinedPathValidator(new PathPolicy { AllowedRoots = [MissingRoot] }),
            Throws.ArgumentException.With.Message.Contains(MissingRoot));
    }

    [Test]
    public void ValidatePolicy_RootIsAFile_IsAnError()
    {
        var file = Path.Combine(_existing.FullName, "plain.txt");
        File.WriteAllText(file, "x");

        Assert.That(ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [file] }), Has.Exactly(1).Contains("is a file on the gateway host"));
    }

    [Test]
    public void ValidatePolicy_WindowsRulesResolvingOnGateway_IsAnErrorNamingTheFix()
    {
        var errors = ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [@"C:\repos"], Rules = PathRules.Windows });

        Assert.That(errors, Has.Exactly(1).Contains("BackendConfines"));
    }

    [Test]
    public void ValidatePolicy_MissingRootWhenBackendConfines_IsValid()
    {
        Assert.That(ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [MissingRoot], Symlinks = SymlinkHandling.BackendConfines }), Is.Empty);
    }

    [Test]
    public void ValidatePolicy_ExistingRoot_IsValid()
    {
        Assert.That(ConfinedPathValidator.ValidatePolicy(new PathPolicy { AllowedRoots = [_existing.FullName] }), Is.Empty);
    }

    [Test]
    public async Task Route_RootMissingOnGatewayHost_IsAConfigErrorNamingRouteRootAndFixes()
    {
        var errors = await ValidateAsync($$"""{"ValidatePath":"path","AllowedRoots":"{{MissingRoot}}"}""");

        Assert.That(errors, Has.Exactly(1).StartsWith("Route 'code'").And.Contains(MissingRoot).And.Contains("BackendConfines").And.Contains("visible to the gateway"));
    }

    [TestCase("BackendConfines")]
    [TestCase("backendconfines")]
    public async Task Route_MissingRootWithBackendConfines_IsValid(string mode)
    {
        Assert.That(await ValidateAsync($$"""{"ValidatePath":"path","AllowedRoots":"{{MissingRoot}}","Symlinks":"{{mode}}"}"""), Is.Empty);
    }

    [Test]
    public async Task Route_ExistingRootResolvedOnGateway_IsValid()
    {
        Assert.That(await ValidateAsync($$"""{"ValidatePath":"path","AllowedRoots":"{{_existing.FullName}}","Symlinks":"ResolveOnGateway"}"""), Is.Empty);
        Assert.That(await ValidateAsync($$"""{"ValidatePath":"path","AllowedRoots":"{{_existing.FullName}}","ResolveSymlinks":"true"}"""), Is.Empty);
    }

    [TestCase("""{"ValidatePath":"path","AllowedRoots":"/x","Symlinks":"Ignore"}""", "'Symlinks' must be ResolveOnGateway or BackendConfines")]
    [TestCase("""{"ValidatePath":"path","AllowedRoots":"/x","Symlinks":"1"}""", "'Symlinks' must be ResolveOnGateway or BackendConfines")]
    [TestCase("""{"ValidatePath":"path","AllowedRoots":"/x","Symlinks":""}""", "'Symlinks' must be ResolveOnGateway or BackendConfines")]
    [TestCase("""{"ValidatePath":"path","AllowedRoots":"/x","ResolveSymlinks":"false"}""", "'ResolveSymlinks: false' is no longer accepted")]
    [TestCase("""{"ValidatePath":"path","AllowedRoots":"/x","ResolveSymlinks":"true","Symlinks":"BackendConfines"}""", "keep only 'Symlinks'")]
    [TestCase("""{"ValidatePath":"path","AllowedRoots":"/x","ResolveSymlinks":"maybe","Symlinks":"BackendConfines"}""", "keep only 'Symlinks'")]
    public async Task Route_BadSymlinksSetting_IsAConfigError(string transform, string expected)
    {
        Assert.That(await ValidateAsync(transform), Has.Some.StartsWith("Route 'code'").And.Contains(expected));
    }

    [Test]
    public async Task ShippedRoutesJson_DeclaresThatTheBackendConfinesLinks()
    {
        var routes = System.Text.Json.Nodes.JsonNode.Parse(SeedRoutes.Load())!["ReverseProxy"]!["Routes"]!;

        foreach (var tool in new[] { "code_analyze", "code_pattern_audit" })
        {
            var validate = routes[tool]!["Transforms"]!.AsArray().Single(t => t!["ValidatePath"] is not null)!;
            Assert.That((string?)validate["Symlinks"], Is.EqualTo("BackendConfines"), tool);
        }

        var errors = new List<string>();
        await _validator.ValidateAsync(RoutesDocumentParser.Parse(System.Text.Encoding.UTF8.GetBytes(SeedRoutes.Load()), errors)!, 1, errors);
        Assert.That(errors, Is.Empty);
    }

    private async Task<List<string>> ValidateAsync(string transform)
    {
        var json = new RoutesJson()
            .Cluster("c", new Uri("http://127.0.0.1:1/"))
            .Route("code", $$"""{"ClusterId":"c","Match":{"Path":"/code/{**rest}"},"Transforms":[{{transform}}]}""")
            .ToString();
        var errors = new List<string>();
        var document = RoutesDocumentParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), errors);
        if (document is not null)
        {
            await _validator.ValidateAsync(document, 1, errors);
        }

        return errors;
    }
}
