using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Tests.Security;

/// <summary>
/// A minimal OIDC issuer on real Kestrel: a discovery document and a JWKS whose keys a test can swap (rotation),
/// counting JWKS requests so throttling can be observed.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly TestBackend _server;
    private volatile TestSigningKey[] _published;
    private int _jwksRequests;

    private TestIdentityProvider(TestBackend server, TestSigningKey[] published)
    {
        _server = server;
        _published = published;
    }

    public string Issuer => _server.Address.ToString().TrimEnd('/');

    public string JwksUrl => Issuer + "/jwks";

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<TestIdentityProvider> StartAsync(params TestSigningKey[] keys)
    {
        TestIdentityProvider? provider = null;
        var server = await TestBackend.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Text(
                new JsonObject { ["issuer"] = provider!.Issuer, ["jwks_uri"] = provider.JwksUrl }.ToJsonString(), "application/json"));
            app.MapGet("/jwks", () =>
            {
                Interlocked.Increment(ref provider!._jwksRequests);
                var keys = new JsonArray(provider._published.Select(k => (JsonNode)k.ToJwk()).ToArray());
                return Results.Text(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json");
            });
        });
        provider = new TestIdentityProvider(server, keys);
        return provider;
    }

    /// <summary>Replaces the published keys (what an IdP does when it rotates).</summary>
    public void Publish(params TestSigningKey[] keys) => _published = keys;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
