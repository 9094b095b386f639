using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gateway.Proxy.Security.Keys;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Observability.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace Gateway.Tests.Security;

/// <summary>
/// The real gateway with auth on: a test IdP (RSA and EC keys), an echo backend behind tool routes and REST
/// passthrough routes with access rules, and a key file for API keys.
/// </summary>
public sealed class SecuredGateway : IAsyncDisposable
{
    public const string PublicOrigin = "https://gw.test";
    public const string Audience = PublicOrigin + "/mcp";

    private readonly CounterRecorder _authFailures;

    private SecuredGateway(TestIdentityProvider idp, TestSigningKey rsa, TestSigningKey ec, TestBackend echo, TestGateway gateway, string keysDirectory)
    {
        Idp = idp;
        Rsa = rsa;
        Ec = ec;
        Echo = echo;
        Gateway = gateway;
        KeysDirectory = keysDirectory;
        Http = new HttpClient { BaseAddress = gateway.Address };
        _authFailures = new CounterRecorder(gateway.Services.GetRequiredService<IMeterFactory>(), "mcp_auth_failures_total");
    }

    public TestIdentityProvider Idp { get; }

    public TestSigningKey Rsa { get; }

    public TestSigningKey Ec { get; }

    public TestBackend Echo { get; }

    public TestGateway Gateway { get; }

    public HttpClient Http { get; }

    public string KeysDirectory { get; }

    public string KeysPath => Path.Combine(KeysDirectory, "apikeys.json");

    public static string Routes(Uri echo) => new RoutesJson()
        .Cluster("echo", echo)
        .Tool("open_echo", "echo", "POST /tools/open")
        .Tool("graph_echo", "echo", "POST /tools/graph", routeExtras: """{"Metadata":{"Gateway.RequiredScopes":"tools:call,graph:read"}}""")
        .Tool("premium_echo", "echo", "POST /tools/premium", routeExtras: """{"Metadata":{"Gateway.MinimumTier":"premium"}}""")
        .Tool("globex_echo", "echo", "POST /tools/globex", routeExtras: """{"Metadata":{"Gateway.Tenants":"globex"}}""")
        .Tool("admin_echo", "echo", "POST /tools/admin", routeExtras: """{"Metadata":{"Gateway.RequiredRoles":"admin,owner"}}""")
        .Route("echo-api", """{"ClusterId":"echo","Match":{"Path":"/api/echo/{**rest}"},"Metadata":{"Gateway.RequiredScopes":"api:read"}}""")
        .Route("open-api", """{"ClusterId":"echo","Match":{"Path":"/api/open/{**rest}"}}""")
        .ToString();

    public static async Task<SecuredGateway> StartAsync(IDictionary<string, string?>? extraSettings = null, Func<Uri, string>? routes = null)
    {
        var rsa = TestSigningKey.Rsa("rsa-1");
        var ec = TestSigningKey.EllipticCurve("ec-1");
        var idp = await TestIdentityProvider.StartAsync(rsa, ec);
        var echo = await TestBackend.StartEchoAsync();
        var keysDirectory = Path.Combine(Path.GetTempPath(), "gateway-tests", "keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(keysDirectory);
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "true",
            ["Gateway:Auth:PublicOrigin"] = PublicOrigin,
            ["Gateway:Auth:Oidc:Issuer"] = idp.Issuer,
            ["Gateway:Auth:Oidc:JwksUrl"] = idp.JwksUrl,
            ["Gateway:Auth:Oidc:Audience"] = Audience,
            ["Gateway:Auth:ApiKeys:Path"] = Path.Combine(keysDirectory, "apikeys.json"),
            ["Gateway:Auth:ApiKeys:PollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var gateway = await TestGateway.StartAsync((routes ?? Routes)(echo.Address), settings);
        return new SecuredGateway(idp, rsa, ec, echo, gateway, keysDirectory);
    }

    /// <summary>A valid token signed with the RSA key (or <paramref name="key"/>), after <paramref name="edit"/> changed its claims.</summary>
    public string Token(Action<JsonObject>? edit = null, TestSigningKey? key = null, string? scope = "tools:read tools:call",
        string tier = "standard", string? tenant = "acme", string subject = "alice")
    {
        var claims = TestTokens.Claims(Idp.Issuer, Audience, subject, tier, scope, tenant);
        edit?.Invoke(claims);
        return TestTokens.Sign(key ?? Rsa, claims);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    public async Task<McpClient> ConnectAsync(IDictionary<string, string> headers)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Gateway.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        }, loggerFactory: null);
        return await McpClient.CreateAsync(transport, loggerFactory: null);
    }

    public Task<McpClient> ConnectWithTokenAsync(string token) =>
        ConnectAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });

    /// <summary>Runs <c>keys create</c> in-process against the gateway's key file and returns the printed key.</summary>
    public async Task<string> CreateApiKeyAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommandLine.RunAsync(["create", .. arguments, "--file", KeysPath], output, error);
        Assert.That(code, Is.Zero, error.ToString());
        return output.ToString().Trim();
    }

    /// <summary>A valid token that carries the operator role (<c>Gateway:Auth:OperatorRole</c>'s default).</summary>
    public string OperatorToken() => Token(c => c["roles"] = new JsonArray(global::Gateway.Proxy.Security.SecurityOptions.DefaultOperatorRole));

    /// <summary>
    /// <c>mcp_auth_failures_total{reason=…}</c> as recorded since this gateway started, read from its meter: a credential
    /// for /metrics would itself depend on the keys some tests rotate (the operator endpoint has its own tests).
    /// </summary>
    public Task<double> AuthFailuresAsync(string reason) =>
        Task.FromResult<double>(_authFailures.Total("mcp_auth_failures_total", ("reason", reason)));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _authFailures.Dispose();
        await Gateway.DisposeAsync();
        await Echo.DisposeAsync();
        await Idp.DisposeAsync();
        Rsa.Dispose();
        Ec.Dispose();
        try
        {
            Directory.Delete(KeysDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
