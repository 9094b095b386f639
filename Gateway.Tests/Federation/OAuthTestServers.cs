using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Tests.Federation;

/// <summary>
/// A real OAuth 2 token endpoint on Kestrel (127.0.0.1, port 0) for the client credentials grant: it checks
/// <c>client_secret_basic</c>, issues <c>token-1</c>, <c>token-2</c>... with <see cref="ExpiresInSeconds"/>, and records
/// every request. <see cref="Refusal"/> makes it answer an OAuth error instead.
/// </summary>
public sealed class TestTokenEndpoint : IAsyncDisposable
{
    public const string ClientId = "gateway client";
    public const string ClientSecret = "s3cret:with/odd+chars";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new();
    private int _issued;

    private TestTokenEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Uri TokenUrl => new(Address, "token");

    public int ExpiresInSeconds { get; set; } = 3600;

    public TimeSpan Delay { get; set; }

    /// <summary>When set, the OAuth error code answered (HTTP 400) instead of a token.</summary>
    public string? Refusal { get; set; }

    /// <summary>Tokens below this number are refused by <see cref="IsValid"/> (revoked).</summary>
    public int FirstValidToken { get; set; } = 1;

    public int Issued => Volatile.Read(ref _issued);

    public ConcurrentQueue<TokenRequest> Requests { get; } = new();

    public static async Task<TestTokenEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestTokenEndpoint? endpoint = null;
        app.MapPost("/token", (HttpContext context) => endpoint!.IssueAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        endpoint = new TestTokenEndpoint(app, new Uri(address + "/"));
        return endpoint;
    }

    /// <summary>Whether <paramref name="authorization"/> is <c>Bearer</c> with a token issued here, not revoked and not expired.</summary>
    public bool IsValid(string? authorization) =>
        authorization is { } value && value.StartsWith("Bearer token-", StringComparison.Ordinal)
        && int.TryParse(value["Bearer token-".Length..], out var number) && number >= FirstValidToken
        && _expiries.TryGetValue(value["Bearer ".Length..], out var expiry) && expiry > DateTimeOffset.UtcNow;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task IssueAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var authorization = context.Request.Headers.Authorization.ToString();
        Requests.Enqueue(new TokenRequest(authorization, form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)));
        await Task.Delay(Delay);

        string? error = Refusal;
        if (error is null && !ClientAuthenticated(authorization))
        {
            error = "invalid_client";
        }
        else if (error is null && form["grant_type"] != "client_credentials")
        {
            error = "unsupported_grant_type";
        }

        if (error is not null)
        {
            context.Response.StatusCode = error == "invalid_client" ? 401 : 400;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = error, ["error_description"] = "refused by the test" });
            return;
        }

        var token = "token-" + Interlocked.Increment(ref _issued);
        _expiries[token] = DateTimeOffset.UtcNow.AddSeconds(ExpiresInSeconds);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = ExpiresInSeconds });
    }

    // RFC 6749 section 2.3.1: client_secret_basic, id and secret form-encoded before base64.
    private static bool ClientAuthenticated(string authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null)
        {
            return false;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
        return pair.Length == 2
            && Uri.UnescapeDataString(pair[0].Replace('+', ' ')) == ClientId
            && Uri.UnescapeDataString(pair[1].Replace('+', ' ')) == ClientSecret;
    }
}

public sealed record TokenRequest(string Authorization, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A C# SDK MCP server (stateful Streamable HTTP on 127.0.0.1, port 0) that answers 401 to any request without a valid
/// bearer token of <see cref="TestTokenEndpoint"/>, and records the Authorization of every request it got.
/// </summary>
public sealed class BearerCheckingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BearerCheckingUpstream(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>(Authorization header or "", whether it was accepted), oldest first.</summary>
    public ConcurrentQueue<(string Authorization, bool Accepted)> Received { get; } = new();

    public static async Task<BearerCheckingUpstream> StartAsync(TestTokenEndpoint tokens)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "bearer-upstream", Version = "1.0" })
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools([McpServerTool.Create((string text) => "echo: " + text, new McpServerToolCreateOptions { Name = "echo", Description = "Echoes the text." })]);
        var app = builder.Build();
        BearerCheckingUpstream? upstream = null;
        app.Use(async (context, next) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            var accepted = tokens.IsValid(authorization);
            upstream!.Received.Enqueue((authorization, accepted));
            if (!accepted)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return;
            }

            await next();
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream = new BearerCheckingUpstream(app, new Uri(address + "/"));
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
