using System.Collections.Frozen;
using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authorization;

namespace Gateway.Tests.Security.Authorization;

public sealed class AccessPolicyTests
{
    private static readonly TierOrder s_tiers = new(["free", "standard", "premium", "enterprise"]);

    public static IEnumerable<TestCaseData> Decisions()
    {
        var caller = Caller(scopes: ["tools:call", "graph:read"], roles: ["analyst"], tier: "standard", tenant: "acme");
        yield return Case("no rule, authenticated", caller, Requirement(), AccessOutcome.Allowed);
        yield return Case("all scopes held", caller, Requirement(scopes: ["tools:call", "graph:read"]), AccessOutcome.Allowed);
        yield return Case("one scope missing", caller, Requirement(scopes: ["tools:call", "graph:write"]), AccessOutcome.Denied);
        yield return Case("scopes are case-sensitive", caller, Requirement(scopes: ["Graph:Read"]), AccessOutcome.Denied);
        yield return Case("one of the roles", caller, Requirement(roles: ["admin", "analyst"]), AccessOutcome.Allowed);
        yield return Case("none of the roles", caller, Requirement(roles: ["admin"]), AccessOutcome.Denied);
        yield return Case("tier equal to minimum", caller, Requirement(tier: "standard"), AccessOutcome.Allowed);
        yield return Case("tier below minimum", caller, Requirement(tier: "premium"), AccessOutcome.Denied);
        yield return Case("tier above minimum", Caller(tier: "enterprise"), Requirement(tier: "premium"), AccessOutcome.Allowed);
        yield return Case("unknown tier meets no minimum", Caller(tier: "platinum"), Requirement(tier: "free"), AccessOutcome.Denied);
        yield return Case("no tier meets no minimum", Caller(tier: null), Requirement(tier: "free"), AccessOutcome.Denied);
        yield return Case("listed tenant", caller, Requirement(tenants: ["globex", "acme"]), AccessOutcome.Allowed);
        yield return Case("other tenant", caller, Requirement(tenants: ["globex"]), AccessOutcome.Denied);
        yield return Case("no tenant", Caller(tenant: null), Requirement(tenants: ["acme"]), AccessOutcome.Denied);
        yield return Case("all conditions together", caller, Requirement(scopes: ["graph:read"], roles: ["analyst"], tier: "free", tenants: ["acme"]), AccessOutcome.Allowed);
        yield return Case("anonymous caller, any rule", CallerIdentity.Anonymous, Requirement(), AccessOutcome.Unauthenticated);
        yield return Case("anonymous caller, Anonymous route", CallerIdentity.Anonymous, AccessRequirement.Anonymous, AccessOutcome.Allowed);
    }

    [TestCaseSource(nameof(Decisions))]
    public void Evaluate_AuthenticatedOnlyDefault(CallerIdentity caller, AccessRequirement requirement, AccessOutcome expected)
    {
        var policy = new AccessPolicy(RouteAccessDefault.AuthenticatedOnly, s_tiers);

        Assert.That(policy.Evaluate(caller, requirement).Outcome, Is.EqualTo(expected));
    }

    [Test]
    public void Evaluate_DenyDefault_RefusesRoutesWithoutRules()
    {
        var policy = new AccessPolicy(RouteAccessDefault.Deny, s_tiers);

        Assert.That(policy.Evaluate(Caller(), Requirement()).Outcome, Is.EqualTo(AccessOutcome.Denied));
        Assert.That(policy.Evaluate(Caller(scopes: ["a"]), Requirement(scopes: ["a"])).Outcome, Is.EqualTo(AccessOutcome.Allowed));
    }

    private static TestCaseData Case(string name, CallerIdentity caller, AccessRequirement requirement, AccessOutcome expected) =>
        new TestCaseData(caller, requirement, expected).SetArgDisplayNames(name);

    private static CallerIdentity Caller(string[]? scopes = null, string[]? roles = null, string? tier = "standard", string? tenant = "acme") =>
        new(true, "alice", tenant, tier, (scopes ?? []).ToFrozenSet(), (roles ?? []).ToFrozenSet());

    private static AccessRequirement Requirement(string[]? scopes = null, string[]? roles = null, string? tier = null, string[]? tenants = null) =>
        new(scopes ?? [], roles ?? [], tier, s_tiers.RankOf(tier), tenants ?? []);
}
