using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Samples;

/// <summary>
/// samples/ts-client installs exactly as committed: npm rewrites a lock file whose root dependencies differ from
/// package.json's (it did: "^1.20.0" against "1.32.2"), so the two must agree, pinned, with every package's integrity.
/// </summary>
public sealed class TsClientLockFileTests
{
    private static readonly string Directory = Path.Combine(SeedRoutes.RepositoryRoot, "samples", "ts-client");

    [Test]
    public void LockFileRoot_MatchesPackageJson_AndEveryPackageIsPinnedWithIntegrity()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "package.json")))!;
        var lockFile = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "package-lock.json")))!;

        Assert.That((int?)lockFile["lockfileVersion"], Is.EqualTo(3));
        var declared = package["dependencies"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value);
        var locked = lockFile["packages"]![""]!["dependencies"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value);
        Assert.That(locked, Is.EquivalentTo(declared));
        Assert.That(declared.Values, Has.All.Match(@"^\d+\.\d+\.\d+$"), "exact versions, so a new release cannot change the install");

        foreach (var (path, entry) in lockFile["packages"]!.AsObject().Where(p => p.Key.Length > 0))
        {
            Assert.That((string?)entry!["integrity"], Does.StartWith("sha512-"), path);
        }

        Assert.That(File.ReadAllText(Path.Combine(SeedRoutes.RepositoryRoot, "README.md")), Does.Contain("cd samples/ts-client && npm ci"));
    }
}
