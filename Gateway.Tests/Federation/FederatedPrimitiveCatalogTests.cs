using Gateway.Proxy.Federation;
using Gateway.Proxy.Federation.Resources;
using ModelContextProtocol.Protocol;

namespace Gateway.Tests.Federation;

public sealed class FederatedPrimitiveCatalogTests
{
    [Test]
    public void APromptNameTwoUpstreamsWouldPublish_GoesToTheFirstByServerName_AndTheOtherIsReported()
    {
        var catalog = new FederatedPrimitiveCatalog();
        var prompts = new UpstreamPrimitives([], [], [new Prompt { Name = "greet" }]);

        var fromB = catalog.Publish("b", name => name, prompts);
        var fromA = catalog.Publish("a", name => name, prompts);
        var againB = catalog.Publish("b", name => name, prompts);

        Assert.Multiple(() =>
        {
            Assert.That(fromB, Is.Empty, "alone, b has the name");
            Assert.That(fromA, Is.Empty, "a comes first in name order and takes it");
            Assert.That(againB, Is.EqualTo(new[] { "greet" }));
            Assert.That(catalog.Current.PromptsByName["greet"].Server, Is.EqualTo("a"));
            Assert.That(catalog.Current.Prompts, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Changed_IsRaisedForWhatChanged_NotForARefreshThatFoundTheSameLists()
    {
        var catalog = new FederatedPrimitiveCatalog();
        var changes = new List<FederatedListChange>();
        catalog.Changed += changes.Add;
        var lists = new UpstreamPrimitives([new Resource { Uri = "x://1", Name = "one" }], [], [new Prompt { Name = "p" }]);

        catalog.Publish("a", name => "a__" + name, lists);
        catalog.Publish("a", name => "a__" + name, lists);
        catalog.Publish("a", name => "a__" + name, lists with { Prompts = [] });
        catalog.Remove("a");

        Assert.Multiple(() =>
        {
            Assert.That(changes, Is.EqualTo(new[] { FederatedListChange.Resources | FederatedListChange.Prompts, FederatedListChange.Prompts, FederatedListChange.Resources }));
            Assert.That(catalog.Current.Resources, Is.Empty);
        });
    }

    [TestCase("mcp-gateway://everything/demo://resource/static/document/a.md", "everything", "demo://resource/static/document/a.md")]
    [TestCase("mcp-gateway://a/test://doc/{id}", "a", "test://doc/{id}")]
    [TestCase("mcp-gateway://srv.1/file:///etc/hosts", "srv.1", "file:///etc/hosts")]
    public void GatewayUris_MapBackToTheServerAndItsOwnUri(string gatewayUri, string server, string upstreamUri)
    {
        Assert.Multiple(() =>
        {
            Assert.That(GatewayResourceUri.TryParse(gatewayUri, out var parsedServer, out var parsedUri), Is.True);
            Assert.That((parsedServer, parsedUri), Is.EqualTo((server, upstreamUri)));
            Assert.That(GatewayResourceUri.Expose(server, upstreamUri), Is.EqualTo(gatewayUri));
        });
    }

    [TestCase("test://doc/readme")]
    [TestCase("mcp-gateway://")]
    [TestCase("mcp-gateway:///x")]
    [TestCase("mcp-gateway://a")]
    [TestCase("mcp-gateway://a/")]
    [TestCase(null)]
    public void OtherUris_AreNotGatewayUris(string? uri) =>
        Assert.That(GatewayResourceUri.TryParse(uri, out _, out _), Is.False);
}
