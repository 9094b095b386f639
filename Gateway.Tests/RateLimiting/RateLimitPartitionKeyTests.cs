using System.Net;
using System.Security.Claims;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authorization;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitPartitionKeyTests
{
    private static readonly RateLimitPartitionDimension[] PrincipalAndTool = [RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tool];

    [Test]
    public void Build_AuthenticatedCaller_UsesSubjectClaim()
    {
        var context = Context(ip: "10.0.0.1", ("sub", "alice"));

        Assert.That(Key(PrincipalAndTool, context, "search", toolName: null), Is.EqualTo("u=sub%3Aalice:t=search"));
    }

    [Test]
    public void Build_AnonymousCaller_UsesClientAddress()
    {
        var context = Context(ip: "::ffff:10.0.0.7");

        Assert.That(Key(PrincipalAndTool, context, "search", toolName: null), Is.EqualTo("u=ip%3A10.0.0.7:t=search"));
    }

    [Test]
    public void Build_SubjectLookingLikeAnAddress_DoesNotShareTheAnonymousPartition()
    {
        var anonymous = Key(PrincipalAndTool, Context(ip: "10.0.0.7"), "r", null);
        var impostor = Key(PrincipalAndTool, Context(ip: "10.0.0.8", ("sub", "ip:10.0.0.7")), "r", null);

        Assert.That(impostor, Is.Not.EqualTo(anonymous));
    }

    [Test]
    public void Build_ClaimContainingSeparators_CannotForgeAnotherPartition()
    {
        RateLimitPartitionDimension[] dimensions = [RateLimitPartitionDimension.Tenant, RateLimitPartitionDimension.Tier];
        var honest = Key(dimensions, Context(null, ("tenant", "a"), ("tier", "b|r1:c")), "r", null);
        var forged = Key(dimensions, Context(null, ("tenant", "a|r1:b"), ("tier", "c")), "r", null);

        Assert.That(forged, Is.Not.EqualTo(honest));
    }

    [TestCase("a:r=b", "c", "a", "b:r=c")]
    [TestCase("a", "b%3Ac", "a", "b:c")]
    [TestCase("a*", "b", "a", "b")]
    public void Build_ClaimContainingKeySeparatorsOrEscapes_CannotForgeAnotherPartition(string forgedTenant, string forgedTier, string tenant, string tier)
    {
        RateLimitPartitionDimension[] dimensions = [RateLimitPartitionDimension.Tenant, RateLimitPartitionDimension.Tier];
        var honest = Key(dimensions, Context(null, ("tenant", tenant), ("tier", tier)), "r", null);
        var forged = Key(dimensions, Context(null, ("tenant", forgedTenant), ("tier", forgedTier)), "r", null);

        Assert.That(forged, Is.Not.EqualTo(honest));
        Assert.That(honest.Split(':'), Has.Length.EqualTo(2), "every ':' in a value is escaped");
    }

    [Test]
    public void Build_TenantListedAfterOtherDimensions_StillComesFirst()
    {
        RateLimitPartitionDimension[] dimensions = [RateLimitPartitionDimension.Tool, RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tenant];

        var key = Key(dimensions, Context(null, ("sub", "alice"), ("tenant", "tenant-123")), "search", null);

        Assert.That(key, Is.EqualTo("tenant-123:t=search:u=sub%3Aalice"), "so redis-cli KEYS \"ratelimit:tenant-123:*\" finds the tenant's state");
    }

    [Test]
    public void Build_ValuesLongerThanTheKeyBuffer_AreKeptWholeAndEscaped()
    {
        RateLimitPartitionDimension[] dimensions = [RateLimitPartitionDimension.Tenant, RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tier];
        var tenant = new string('t', 300);
        var subject = new string(':', 200);

        var key = Key(dimensions, Context(null, ("sub", subject), ("tenant", tenant), ("tier", "gold")), "r", null);

        Assert.That(key, Is.EqualTo(tenant + ":u=sub%3A" + string.Concat(Enumerable.Repeat("%3A", 200)) + ":r=gold"));
    }

    [Test]
    public void Build_MissingTenantAndTier_ShareOneEmptyPartition()
    {
        RateLimitPartitionDimension[] dimensions = [RateLimitPartitionDimension.Tenant, RateLimitPartitionDimension.Tier];

        Assert.That(Key(dimensions, Context("10.0.0.1"), "r", null), Is.EqualTo(":r="));
    }

    [Test]
    public void Build_LongValues_AreKeptWhole()
    {
        var subject = new string('x', 1234);

        var key = Key([RateLimitPartitionDimension.Principal], Context(null, ("sub", subject)), "r", null);

        Assert.That(key, Is.EqualTo("u=sub%3A" + subject));
    }

    [Test]
    public void Build_ConfiguredClaimNames_KeyByThoseClaimsNotBySubTenantTier()
    {
        var callers = Resolver(new ClaimNameOptions { Subject = "uid", Tenant = "org", Tier = "plan" });
        RateLimitPartitionDimension[] dimensions = [RateLimitPartitionDimension.Principal, RateLimitPartitionDimension.Tenant, RateLimitPartitionDimension.Tier];
        var context = Context("10.0.0.1", ("uid", "alice"), ("org", "acme"), ("plan", "free"), ("sub", "shared"), ("tenant", "x"), ("tier", "y"));

        var key = RateLimitPartitionKey.Build(dimensions, callers.Resolve(context.User), context, "r", null);

        Assert.That(key, Is.EqualTo("acme:u=sub%3Aalice:r=free"));
    }

    private static string Key(IReadOnlyList<RateLimitPartitionDimension> dimensions, DefaultHttpContext context, string routeId, string? toolName) =>
        RateLimitPartitionKey.Build(dimensions, Resolver(new ClaimNameOptions()).Resolve(context.User), context, routeId, toolName);

    private static CallerIdentityResolver Resolver(ClaimNameOptions claims) =>
        new(Options.Create(new SecurityOptions { Claims = claims }));

    private static DefaultHttpContext Context(string? ip, params (string Type, string Value)[] claims)
    {
        var context = new DefaultHttpContext();
        if (ip is not null)
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        }

        if (claims.Length > 0)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
        }

        return context;
    }
}
