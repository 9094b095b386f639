using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Transforms.Federation;

namespace Gateway.Proxy.Federation;

/// <summary>
/// An upstream's access token from the OAuth 2 client credentials grant (RFC 6749 section 4.4), sent as
/// <c>Authorization: Bearer</c>. The client authenticates with <c>client_secret_basic</c> (the method every
/// authorization server must support); the secret is read from its file or variable for each token request, so a
/// rotated secret applies to the next one. A token is kept until <c>expires_in</c> minus a skew (30 s, at most half its
/// lifetime), then replaced before it expires; one the upstream refuses (401) is replaced at once. Concurrent callers
/// share one token request. The token endpoint is called directly, never through the upstream's YARP cluster.
/// </summary>
internal sealed partial class OAuthClientCredentialsTokenSource : UpstreamAuthorization
{
    private const int MaxResponseBytes = 64 * 1024;
    private static readonly TimeSpan s_maxSkew = TimeSpan.FromSeconds(30);

    private readonly string _server;
    private readonly UpstreamCredential _credential;
    private readonly OAuthClientCredentialsGrant _grant;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private AccessToken? _current;
    private Task<AccessToken>? _fetching;

    public OAuthClientCredentialsTokenSource(string server, UpstreamCredential credential, HttpClient http, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        _server = server;
        _credential = credential;
        _grant = credential.OAuth ?? throw new ArgumentException("not an OAuth client credentials credential", nameof(credential));
        _http = http;
        _timeout = timeout;
        _time = time;
        _logger = logger;
    }

    public override string HeaderName => "Authorization";

    public override bool CanRenew => true;

    public override async ValueTask<string> ValueAsync(string? rejected, CancellationToken cancellationToken)
    {
        Task<AccessToken> fetching;
        lock (_gate)
        {
            if (_current is { } current && current.ValidUntil > _time.GetUtcNow() && current.HeaderValue != rejected)
            {
                return current.HeaderValue;
            }

            // Task.Run: the request starts outside the lock, and a failure that happens before its first await still
            // reaches FetchAsync's own clean-up rather than leaving a faulted task here for every later caller.
            fetching = _fetching ??= Task.Run(FetchAsync, CancellationToken.None);
        }

        return (await fetching.WaitAsync(cancellationToken)).HeaderValue;
    }

    private async Task<AccessToken> FetchAsync()
    {
        try
        {
            var token = await RequestAsync();
            lock (_gate)
            {
                _current = token;
            }

            return token;
        }
        finally
        {
            lock (_gate)
            {
                _fetching = null;
            }
        }
    }

    private async Task<AccessToken> RequestAsync()
    {
        var secret = UpstreamCredentials.ReadSecret(_credential, _server);
        using var request = new HttpRequestMessage(HttpMethod.Post, _grant.TokenEndpoint) { Content = new FormUrlEncodedContent(Parameters()) };

        // RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(FormEncode(_grant.ClientId) + ":" + FormEncode(secret))));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var timeout = new CancellationTokenSource(_timeout);
        var started = _time.GetUtcNow();
        HttpStatusCode status;
        byte[] body;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = response.StatusCode;
            body = await ReadCappedAsync(response.Content, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {_timeout.TotalSeconds:0.#} s" : ex.Message;
            Log.TokenEndpointUnreachable(_logger, _server, _grant.TokenEndpoint, reason);
            throw new UpstreamUnavailableException($"the token endpoint of upstream '{_server}' ({_grant.TokenEndpoint}) could not be reached: {reason}");
        }

        if ((int)status is < 200 or > 299)
        {
            var error = OAuthErrorCode(body);
            Log.TokenRefused(_logger, _server, _grant.TokenEndpoint, (int)status, error ?? "none");
            throw new UpstreamUnavailableException(error is null
                ? $"the token endpoint of upstream '{_server}' answered HTTP {(int)status} without an OAuth error code"
                : $"the token endpoint of upstream '{_server}' refused the client credentials grant: OAuth error '{error}' (HTTP {(int)status})");
        }

        var token = Parse(body, started) ?? throw Unusable("its answer has no usable access_token, token_type Bearer and expires_in");
        Log.TokenFetched(_logger, _server, token.Lifetime?.TotalSeconds);
        return token;
    }

    private IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        yield return KeyValuePair.Create("grant_type", "client_credentials");
        if (_grant.Scope is { } scope)
        {
            yield return KeyValuePair.Create("scope", scope);
        }

        if (_grant.Resource is { } resource)
        {
            yield return KeyValuePair.Create("resource", resource.OriginalString);
        }

        if (_grant.Audience is { } audience)
        {
            yield return KeyValuePair.Create("audience", audience);
        }
    }

    private AccessToken? Parse(byte[] body, DateTimeOffset started)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out var accessToken) || accessToken.ValueKind != JsonValueKind.String
                || accessToken.GetString() is not { Length: > 0 } value || value.Any(c => c is < '\x21' or > '\x7E'))
            {
                return null;
            }

            if (root.TryGetProperty("token_type", out var type)
                && (type.ValueKind != JsonValueKind.String || !string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            TimeSpan? lifetime = null;
            if (root.TryGetProperty("expires_in", out var expiresIn))
            {
                if (expiresIn.ValueKind != JsonValueKind.Number || !expiresIn.TryGetDouble(out var seconds) || seconds <= 0)
                {
                    return null;
                }

                lifetime = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(365).TotalSeconds));
            }

            // Counted from when the request was sent, so the time it took never makes the token outlive its expiry.
            var validUntil = lifetime is { } life ? started + life - TimeSpan.FromTicks(Math.Min(s_maxSkew.Ticks, life.Ticks / 2)) : DateTimeOffset.MaxValue;
            return new AccessToken("Bearer " + value, validUntil, lifetime);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private UpstreamUnavailableException Unusable(string reason)
    {
        Log.TokenRefused(_logger, _server, _grant.TokenEndpoint, 200, "none (" + reason + ")");
        return new UpstreamUnavailableException($"the token endpoint of upstream '{_server}' gave no usable token: {reason}");
    }

    private static string? OAuthErrorCode(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);

            // RFC 6749 section 5.2: the code is an ASCII token; anything else is not repeated into logs and errors.
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && error.GetString() is { Length: > 0 and <= 64 } code && code.All(c => c is >= '\x20' and <= '\x7E' and not '"' and not '\\')
                ? code
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new HttpRequestException($"the answer is over {MaxResponseBytes} bytes");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new HttpRequestException($"the answer is over {MaxResponseBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    private sealed record AccessToken(string HeaderValue, DateTimeOffset ValidUntil, TimeSpan? Lifetime);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3450, Level = LogLevel.Debug, Message = "Upstream '{Server}': obtained an access token with the client credentials grant (expires in {ExpiresInSeconds} s)")]
        public static partial void TokenFetched(ILogger logger, string server, double? expiresInSeconds);

        [LoggerMessage(EventId = 3451, Level = LogLevel.Warning, Message = "Upstream '{Server}': the token endpoint {TokenEndpoint} refused the client credentials grant (HTTP {StatusCode}, OAuth error {Error})")]
        public static partial void TokenRefused(ILogger logger, string server, Uri tokenEndpoint, int statusCode, string error);

        [LoggerMessage(EventId = 3452, Level = LogLevel.Warning, Message = "Upstream '{Server}': the token endpoint {TokenEndpoint} could not be reached: {Reason}")]
        public static partial void TokenEndpointUnreachable(ILogger logger, string server, Uri tokenEndpoint, string reason);
    }
}
