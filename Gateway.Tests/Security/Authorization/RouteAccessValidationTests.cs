using Gateway.Proxy.Configuration;
using Gateway.Proxy.Security.Authorization;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Catalog;

namespace Gateway.Tests.Security.Authorization;

/// <summary>Access rules in routes.json are checked when the file is loaded and on every reload, with errors naming the route.</summary>
public sealed class RouteAccessValidationTests
{
    private static readonly Uri s_backend = new("http://127.0.0.1:9/");

    [TestCase("""{"Gateway.MinimumTier":"gold"}""", "Route 'guarded': metadata 'Gateway.MinimumTier' is 'gold', which is not a tier; use one of free, standard, premium, enterprise")]
    [TestCase("""{"Gateway.RequiredScope":"tools:call"}""", "Route 'guarded': metadata key 'Gateway.RequiredScope' is unknown")]
    [TestCase("""{"Gateway.RequiredScopes":"tools:call graph:read"}""", "Route 'guarded': metadata 'Gateway.RequiredScopes' has the entry 'tools:call graph:read'")]
    [TestCase("""{"Gateway.Tenants":"acme,,globex"}""", "Route 'guarded': metadata 'Gateway.Tenants' has the entry ''")]
    public async Task Start_WithBadAccessRule_FailsNamingTheRoute(string metadata, string expected)
    {
        var routes = new RoutesJson().Cluster("c", s_backend)
            .Tool("guarded", "c", "POST /x", routeExtras: $$"""{"Metadata":{{metadata}}}""")
            .ToString();

        var error = await Assert.ThrowsAsync<RoutesConfigException>(() => TestGateway.StartAsync(routes));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public async Task Start_AnonymousPolicyWithRules_Fails()
    {
        var routes = new RoutesJson().Cluster("c", s_backend)
            .Route("public", """{"ClusterId":"c","Match":{"Path":"/p"},"AuthorizationPolicy":"Anonymous","Metadata":{"Gateway.RequiredScopes":"a"}}""")
            .ToString();

        var error = await Assert.ThrowsAsync<RoutesConfigException>(() => TestGateway.StartAsync(routes));

        Assert.That(error!.Message, Does.Contain("Route 'public': AuthorizationPolicy 'Anonymous' cannot be combined"));
    }

    [Test]
    public async Task Start_WithCustomTierOrder_AcceptsItsTierNames()
    {
        var routes = new RoutesJson().Cluster("c", s_backend)
            .Tool("guarded", "c", "POST /x", routeExtras: """{"Metadata":{"Gateway.MinimumTier":"gold","Gateway.RequiredScopes":"a,b"}}""")
            .ToString();

        await using var gateway = await TestGateway.StartAsync(routes, new Dictionary<string, string?>
        {
            ["Gateway:Auth:Tiers:0"] = "bronze",
            ["Gateway:Auth:Tiers:1"] = "silver",
            ["Gateway:Auth:Tiers:2"] = "gold",
        });

        var requirement = gateway.GetRequiredService<RouteAccessRequirements>().ForRouteId("guarded");
        Assert.That(requirement!.MinimumTierRank, Is.EqualTo(2));
        Assert.That(requirement.Scopes, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Reload_WithBadAccessRule_IsRejectedAndTheLastGoodRoutesKeepServing()
    {
        var good = new RoutesJson().Cluster("c", s_backend).Tool("guarded", "c", "POST /x").ToString();
        await using var gateway = await TestGateway.StartAsync(good);
        var provider = gateway.GetRequiredService<RoutesFileConfigProvider>();
        var generation = gateway.GetRequiredService<ToolCatalogHolder>().Current.Generation;

        await gateway.WriteRoutesAsync(new RoutesJson().Cluster("c", s_backend)
            .Tool("guarded", "c", "POST /x", routeExtras: """{"Metadata":{"Gateway.MinimumTier":"gold"}}""").ToString());

        Assert.That(await provider.ReloadIfChangedAsync(), Is.False);
        Assert.That(gateway.GetRequiredService<ToolCatalogHolder>().Current.Generation, Is.EqualTo(generation));
    }

    [Test]
    public async Task KnownKeysOfOtherFeatures_AreAccepted()
    {
        var routes = new RoutesJson().Cluster("c", s_backend)
            .Tool("guarded", "c", "POST /x", routeExtras: """{"Metadata":{"Gateway.RateLimitPolicy":"strict"}}""")
            .ToString();

        await using var gateway = await TestGateway.StartAsync(routes, configure: builder =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(builder.Services, new KnownRouteMetadataKey("Gateway.RateLimitPolicy")));

        Assert.That(gateway.GetRequiredService<ToolCatalogHolder>().Current.TryGet("guarded", out _), Is.True);
    }
}
