using System.Text.Json;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>
/// The issuer's signing keys, fetched from the JWKS URL (or the discovery document's <c>jwks_uri</c>), refreshed in
/// the background and on demand when a token names an unknown <c>kid</c> (key rotation without restart).
/// Fetches are single-flight and at least <see cref="OidcOptions.RefreshInterval"/> apart, so a flood of tokens
/// with random <c>kid</c>s costs the IdP at most one request per interval.
/// </summary>
public sealed class JwksKeyStore : BackgroundService
{
    public const string HttpClientName = "mcp_gateway.jwks";

    private readonly OidcOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly SecurityEvents _events;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private SigningKeySet _keys = SigningKeySet.Empty;
    private Task<bool>? _inFlight;
    private DateTimeOffset? _lastAttempt;
    private long _fetches;
    private long _fetchFailures;
    private int _lastFetchSucceeded;

    public JwksKeyStore(IOptions<SecurityOptions> options, IHttpClientFactory httpClients, SecurityEvents events, TimeProvider? time = null, GatewayMetrics? metrics = null)
    {
        _options = options.Value.Oidc;
        _httpClients = httpClients;
        _events = events;
        _time = time ?? TimeProvider.System;
        metrics?.ObserveIdentityProvider(() => LastFetchSucceeded, () => FetchFailureCount);
    }

    public SigningKeySet Current => Volatile.Read(ref _keys);

    public bool HasKeys => Current.Keys.Count > 0;

    /// <summary>How many times the JWKS has been requested.</summary>
    public long FetchCount => Interlocked.Read(ref _fetches);

    /// <summary>Failed fetches of the JWKS or the discovery document since start (the IdP unreachable or answering garbage).</summary>
    public long FetchFailureCount => Interlocked.Read(ref _fetchFailures);

    /// <summary>Whether the most recent fetch succeeded; false before the first one has finished.</summary>
    public bool LastFetchSucceeded => Volatile.Read(ref _lastFetchSucceeded) == 1;

    /// <summary>For <see cref="TokenValidationParameters.IssuerSigningKeyResolver"/>: synchronous, from the current generation.</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId) => Current.Resolve(keyId);

    /// <summary>
    /// True when a key with <paramref name="keyId"/> is known, refreshing first if it is not and the throttle allows.
    /// A token without a kid is checked against every key, so it only needs some key to be present.
    /// </summary>
    public async ValueTask<bool> EnsureKeyAsync(string? keyId, CancellationToken cancellationToken)
    {
        var keys = Current;
        if (string.IsNullOrEmpty(keyId) ? keys.Keys.Count > 0 : keys.Contains(keyId))
        {
            return true;
        }

        var refresh = TryStartRefresh();
        if (refresh is null)
        {
            return false;
        }

        await refresh.WaitAsync(cancellationToken);
        keys = Current;
        return string.IsNullOrEmpty(keyId) ? keys.Keys.Count > 0 : keys.Contains(keyId);
    }

    /// <summary>Starts a fetch unless one is running (then joins it) or the last one began less than RefreshInterval ago (then null).</summary>
    public Task<bool>? TryStartRefresh()
    {
        lock (_gate)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var now = _time.GetUtcNow();
            if (_lastAttempt is { } last && now - last < _options.RefreshInterval)
            {
                return null;
            }

            _lastAttempt = now;
            _inFlight = FetchAsync();
            return _inFlight;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var refresh = TryStartRefresh();
                var succeeded = refresh is not null && await refresh.WaitAsync(stoppingToken);

                // After a failure retry sooner than the routine interval, but never faster than the throttle allows.
                var wait = succeeded || HasKeys ? _options.AutomaticRefreshInterval : _options.RefreshInterval;
                await Task.Delay(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> FetchAsync()
    {
        // Leave the caller's lock before doing I/O.
        await Task.Yield();
        var client = _httpClients.CreateClient(HttpClientName);
        var url = _options.JwksUrl ?? _options.Issuer ?? string.Empty;
        try
        {
            if (string.IsNullOrEmpty(_options.JwksUrl))
            {
                url = await DiscoverJwksUrlAsync(client);
            }

            Interlocked.Increment(ref _fetches);
            var json = await client.GetStringAsync(url);
            var keys = SigningKeySet.Parse(json, _time.GetUtcNow());
            if (keys.Keys.Count == 0)
            {
                throw new InvalidOperationException("the JWKS holds no RSA or EC signing keys");
            }

            Volatile.Write(ref _keys, keys);
            Volatile.Write(ref _lastFetchSucceeded, 1);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException or ArgumentException)
        {
            Interlocked.Increment(ref _fetchFailures);
            Volatile.Write(ref _lastFetchSucceeded, 0);
            _events.KeysRefreshFailed(url, ex.Message);
            return false;
        }
    }

    private async Task<string> DiscoverJwksUrlAsync(HttpClient client)
    {
        var issuer = _options.Issuer!.TrimEnd('/');
        var discoveryUrl = issuer + "/.well-known/openid-configuration";
        using var document = JsonDocument.Parse(await client.GetStringAsync(discoveryUrl));
        var root = document.RootElement;
        if (!root.TryGetProperty("issuer", out var declared) || declared.ValueKind != JsonValueKind.String
            || !string.Equals(declared.GetString()?.TrimEnd('/'), issuer, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the discovery document at {discoveryUrl} names a different issuer; check Gateway:Auth:Oidc:Issuer");
        }

        if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri))
        {
            throw new InvalidOperationException($"the discovery document at {discoveryUrl} has no absolute 'jwks_uri'; set Gateway:Auth:Oidc:JwksUrl");
        }

        if (jwksUri.Scheme != Uri.UriSchemeHttps && _options.RequireHttpsMetadata && !jwksUri.IsLoopback)
        {
            throw new InvalidOperationException($"the discovery document's jwks_uri '{jwksUri}' is not https; keys must come over https");
        }

        return jwksUri.ToString();
    }
}
