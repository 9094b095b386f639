using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.RateLimiting;

/// <summary>
/// Test-only authentication: <c>X-Test-Sub</c>, <c>X-Test-Tier</c> and <c>X-Test-Tenant</c> become the caller's
/// <c>sub</c>, <c>tier</c> and <c>tenant</c> claims; no <c>X-Test-Sub</c> means anonymous.
/// </summary>
internal sealed class TestHeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeaders";

    public static void AddTo(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestHeaderAuthentication>(SchemeName, null);
        builder.Services.AddTransient<IStartupFilter, UseAuthenticationFirst>();
    }

    public static Dictionary<string, string> Headers(string subject, string? tier = null, string? tenant = null)
    {
        var headers = new Dictionary<string, string> { ["X-Test-Sub"] = subject };
        if (tier is not null)
        {
            headers["X-Test-Tier"] = tier;
        }

        if (tenant is not null)
        {
            headers["X-Test-Tenant"] = tenant;
        }

        return headers;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var subject = Request.Headers["X-Test-Sub"].ToString();
        if (subject.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new("sub", subject) };
        foreach (var (header, claim) in new[] { ("X-Test-Tier", "tier"), ("X-Test-Tenant", "tenant") })
        {
            if (Request.Headers[header].ToString() is { Length: > 0 } value)
            {
                claims.Add(new Claim(claim, value));
            }
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>The security area adds UseAuthentication in its own hook; these tests must not depend on it.</summary>
    private sealed class UseAuthenticationFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseAuthentication();
            next(app);
        };
    }
}
