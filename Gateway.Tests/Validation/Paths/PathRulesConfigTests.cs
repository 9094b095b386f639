using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Configuration;

namespace Gateway.Tests.Validation.Paths;

/// <summary>A ValidatePath transform's PathRules is one of its names; a number or a combination is not quietly read as one.</summary>
public sealed class PathRulesConfigTests
{
    private RoutesValidatorHost _host = null!;

    [OneTimeSetUp]
    public void CreateValidator() => _host = new RoutesValidatorHost();

    [OneTimeTearDown]
    public void DisposeValidator() => _host.Dispose();

    [TestCase("Posix", "/srv/repos")]
    [TestCase("windows", @"C:\\repos")]
    public async Task PathRules_ByName_IsAccepted(string rules, string root) =>
        Assert.That(await ValidateAsync(rules, root), Is.Empty);

    [TestCase("1")]
    [TestCase("Posix, Windows")]
    [TestCase("Linux")]
    public async Task PathRules_NotAName_IsRefused(string rules) =>
        Assert.That(await ValidateAsync(rules), Has.One.Contains($"'PathRules' must be Posix or Windows, got '{rules}'"));

    private async Task<List<string>> ValidateAsync(string rules, string root = "/srv/repos")
    {
        var json = new RoutesJson()
            .Cluster("c", new Uri("http://127.0.0.1:1/"))
            .Route("code", $$"""{"ClusterId":"c","Match":{"Path":"/code/{**rest}"},"Transforms":[{"ValidatePath":"path","AllowedRoots":"{{root}}","Symlinks":"BackendConfines","PathRules":"{{rules}}"}]}""")
            .ToString();
        var errors = new List<string>();
        var document = RoutesDocumentParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), errors);
        if (document is not null)
        {
            await _host.Validator.ValidateAsync(document, 1, errors);
        }

        return errors;
    }
}
