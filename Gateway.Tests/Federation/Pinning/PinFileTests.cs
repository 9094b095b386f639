using System.Text;
using System.Text.Json;
using Gateway.Transforms.Federation;
using Gateway.Transforms.Federation.Pinning;

namespace Gateway.Tests.Federation.Pinning;

/// <summary>The pin file format (strict, errors naming the entry) and the <c>Pinning</c> key of an upstream in routes.json.</summary>
public sealed class PinFileTests
{
    private static readonly string s_hash = new('a', 64);

    [Test]
    public void WrittenFile_ReadsBackTheSamePins()
    {
        var pins = PinSet.Empty
            .With("up", "lookup", new ToolPin(s_hash, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "ops"))
            .With("up", "echo", new ToolPin(new string('b', 64), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), null));

        var read = PinFile.Parse(PinFile.Serialize(pins), "pins.json");

        Assert.Multiple(() =>
        {
            Assert.That(read.Find("up", "lookup"), Is.EqualTo(pins.Find("up", "lookup")));
            Assert.That(read.Find("up", "echo"), Is.EqualTo(pins.Find("up", "echo")));
            Assert.That(read.Find("up", "other"), Is.Null);
            Assert.That(read.ToolsOf("up"), Is.EqualTo(new[] { "echo", "lookup" }));
        });
    }

    [TestCase("[]", "it must be a JSON object keyed by upstream server name")]
    [TestCase("""{"up": []}""", "'up' must be an object keyed by the upstream's tool names")]
    [TestCase("""{"up": {"t": {"approvedAt": "2026-01-01T00:00:00Z"}}}""", "'up.t'.sha256 is required")]
    [TestCase("""{"up": {"t": {"sha256": "ABCDEF"}}}""", "'up.t'.sha256 must be 64 lowercase hex digits")]
    [TestCase("""{"up": {"t": {"sha256": "HASH", "approvedAt": "soon"}}}""", "'up.t'.approvedAt must be a date and time")]
    [TestCase("""{"up": {"t": {"sha256": "HASH", "approvedAt": "2026-01-01T00:00:00Z", "note": "x"}}}""", "'up.t' has unknown key 'note'")]
    [TestCase("""{"up": {"t": {"sha256": "HASH", "approvedAt": "2026-01-01T00:00:00Z"}, "t": {"sha256": "HASH", "approvedAt": "2026-01-01T00:00:00Z"}}}""", "'up.t' appears twice")]
    [TestCase("""{"up": {""", "not valid JSON")]
    public void Malformed_IsOneErrorNamingTheEntry(string json, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json.Replace("HASH", s_hash, StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => PinFile.Parse(bytes, "/etc/gateway/routes.pins.json"));

        Assert.That(error!.Message, Does.StartWith("The pin file /etc/gateway/routes.pins.json is invalid: ").And.Contain(expected));
    }

    [Test]
    public void MissingFile_IsNothingApprovedYet() =>
        Assert.That(PinFile.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "routes.pins.json")).Servers, Is.Empty);

    [Test]
    public void DefaultPath_IsBesideTheRoutesFile() =>
        Assert.That(PinFile.DefaultPathFor("/etc/gateway/routes.json"), Is.EqualTo("/etc/gateway/routes.pins.json"));

    [TestCase("""{ "Unpinned": "Quarantine" }""", UnpinnedToolPolicy.Quarantine)]
    [TestCase("""{ "Unpinned": "allow" }""", UnpinnedToolPolicy.Allow)]
    public void UpstreamPinning_IsRead(string pinning, UnpinnedToolPolicy expected)
    {
        var errors = new List<string>();

        var upstreams = FederationSectionParser.Parse(Section(pinning), errors);

        Assert.That(errors, Is.Empty);
        Assert.That(upstreams.Single().UnpinnedTools, Is.EqualTo(expected));
    }

    [TestCase("""{ "Unpinned": "Trust" }""", "Upstream 'up': 'Pinning.Unpinned' must be \"Allow\"")]
    [TestCase("""{ "Unpinned": 1 }""", "Upstream 'up': 'Pinning.Unpinned' must be \"Allow\"")]
    [TestCase("""{ "Unpinned": "1" }""", "Upstream 'up': 'Pinning.Unpinned' must be \"Allow\"")]
    [TestCase("""{ "Unpinned": "Allow, Quarantine" }""", "Upstream 'up': 'Pinning.Unpinned' must be \"Allow\"")]
    [TestCase("""{ "Default": "Allow" }""", "Upstream 'up': unknown key 'Pinning.Default'; allowed: Unpinned")]
    [TestCase("\"Quarantine\"", "Upstream 'up': 'Pinning' must be an object")]
    public void UpstreamPinning_Invalid_IsAnErrorNamingTheUpstream(string pinning, string expected)
    {
        var errors = new List<string>();

        FederationSectionParser.Parse(Section(pinning), errors);

        Assert.That(errors, Has.Some.StartsWith(expected));
    }

    [Test]
    public void UpstreamWithoutPinning_FollowsTheGatewayDefault()
    {
        var errors = new List<string>();
        using var document = JsonDocument.Parse("""{ "Upstreams": { "up": { "ClusterId": "c" } } }""");

        var upstreams = FederationSectionParser.Parse(document.RootElement, errors);

        Assert.That(upstreams.Single().UnpinnedTools, Is.Null);
    }

    private static JsonElement Section(string pinning) =>
        JsonDocument.Parse($$"""{ "Upstreams": { "up": { "ClusterId": "c", "Pinning": {{pinning}} } } }""").RootElement.Clone();
}
