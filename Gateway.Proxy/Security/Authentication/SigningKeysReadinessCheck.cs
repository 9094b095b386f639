using Gateway.Proxy.Health;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>Degraded until the issuer's signing keys have been fetched: bearer tokens fail meanwhile, API keys still work.</summary>
public sealed class SigningKeysReadinessCheck : IReadinessCheck
{
    private readonly JwksKeyStore _keys;

    public SigningKeysReadinessCheck(JwksKeyStore keys) => _keys = keys;

    public string Name => "oidc_signing_keys";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.HasKeys
            ? ReadinessResult.Healthy($"{_keys.Current.Keys.Count} key(s), fetched {_keys.Current.FetchedAt:u}")
            : ReadinessResult.Degraded("the issuer's signing keys have not been fetched yet; bearer tokens are refused until they are"));
}
