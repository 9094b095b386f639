using Gateway.Proxy.Security;
using Gateway.Proxy.Security.Authorization;
using Gateway.Proxy.Security.Forwarding;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RateLimiting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Tests.Security.Forwarding;

/// <summary>
/// Backends fold header names (nginx/CGI: HTTP_X_GATEWAY_SUBJECT; any case, '-' and '_' alike), so a client's
/// X_Gateway_Subject would reach them as the identity header. The wire shows none of the client's spellings, only the
/// gateway's own identity headers.
/// </summary>
public sealed class IdentityHeaderSpellingsTests
{
    private static readonly string[] s_forgedNames =
    [
        "X_Gateway_Subject", "x_gateway_subject", "X_GATEWAY_SUBJECT", "X-Gateway_Subject", "x-gateway-subject", "X-GATEWAY-SUBJECT",
        "X_Gateway-Tenant", "x_gateway_tenant", "X-GATEWAY-TIER", "x_Gateway_Tier", "X-Gateway-Roles", "X_GATEWAY_ADMIN",
        "Proxy_Authorization", "X_API_KEY", "x_api_key", "COOKIE",
    ];

    [Test]
    public async Task Passthrough_ClientSpellingsOfReservedHeaders_NeverReachTheWire_GatewayIdentityDoes()
    {
        await using var backend = RawRecordingBackend.Start();
        var routes = new RoutesJson().Cluster("raw", backend.Address)
            .Route("raw-api", """{"ClusterId":"raw","Match":{"Path":"/api/raw/{**rest}"}}""");
        await using var gateway = await TestGateway.StartAsync(routes.ToString(), configure: TestHeaderAuthentication.AddTo);
        using var http = new HttpClient { BaseAddress = gateway.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/raw/whoami");
        foreach (var (name, value) in TestHeaderAuthentication.Headers("alice", "premium", "acme"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var name in s_forgedNames)
        {
            Assert.That(request.Headers.TryAddWithoutValidation(name, "forged-" + name), Is.True, name);
        }

        using var response = await http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var headers = WireHeaders(backend.AllBytes);
        Assert.That(backend.AllBytes, Does.Not.Contain("forged-"));
        Assert.That(headers.Where(h => Fold(h.Name).StartsWith("X_GATEWAY_", StringComparison.Ordinal)).Select(h => $"{h.Name}: {h.Value}"),
            Is.EquivalentTo(new[] { "X-Gateway-Subject: alice", "X-Gateway-Tenant: acme", "X-Gateway-Tier: premium" }));
    }

    [TestCase("X-User")]
    [TestCase("X_User")]
    [TestCase("x_user")]
    [TestCase("X-Secret-Token")]
    [TestCase("x_secret_token")]
    public void ToolRoute_HeaderBindingToAConfiguredIdentityOrStrippedHeader_IsAConfigError(string header)
    {
        var options = new SecurityOptions();
        options.IdentityHeaders.Subject = "X-User";
        options.IdentityHeaders.Strip = ["X-Secret-Token"];
        var provider = new IdentityHeadersTransformProvider(new VerifiedIdentityHeaders(Options.Create(options), new CallerIdentityResolver(Options.Create(options))));
        var context = new TransformRouteValidationContext
        {
            Services = null!,
            Route = new RouteConfig
            {
                RouteId = "probe",
                Transforms = [new Dictionary<string, string> { ["McpToolRequest"] = "POST /x", ["Headers"] = $"X-Fine=a,{header}=b" }],
            },
        };

        provider.ValidateRoute(context);

        Assert.That(context.Errors.Select(e => e.Message), Has.One.Contains($"'{header}'").And.Contains("Route 'probe'"));
    }

    [Test]
    public void ToolRoute_HeaderBindingToAnOrdinaryHeader_IsAccepted()
    {
        var options = new SecurityOptions();
        var provider = new IdentityHeadersTransformProvider(new VerifiedIdentityHeaders(Options.Create(options), new CallerIdentityResolver(Options.Create(options))));
        var context = new TransformRouteValidationContext
        {
            Services = null!,
            Route = new RouteConfig { RouteId = "probe", Transforms = [new Dictionary<string, string> { ["McpToolRequest"] = "POST /x", ["Headers"] = "X-Session=s" }] },
        };

        provider.ValidateRoute(context);

        Assert.That(context.Errors, Is.Empty);
    }

    private static List<(string Name, string Value)> WireHeaders(string raw)
    {
        var head = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        return head.Split("\r\n").Skip(1)
            .Select(line => (line[..line.IndexOf(':')], line[(line.IndexOf(':') + 1)..].Trim()))
            .ToList();
    }

    private static string Fold(string name) => name.ToUpperInvariant().Replace('-', '_');
}
