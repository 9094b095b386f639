using System.Collections.Frozen;
using System.Net;
using Gateway.Proxy.Security.Forwarding;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Sends one upstream session's HTTP requests to its YARP cluster: the destination is picked by the cluster's load
/// balancing policy among the destinations YARP's health checks leave available, and the request goes through the
/// cluster's own HttpMessageInvoker (so its HttpClient and HttpRequest settings apply). A session stays on the
/// destination it was initialized on (the session id means nothing to the others); when that destination is no longer
/// available the request fails and the next session picks again. The configured credential and, for a tool call, the
/// caller's verified identity are added; nothing of the caller's own request is. A 401 answer to a request carrying a
/// renewable credential (an OAuth access token) has the token replaced and the request sent once more. Every answer
/// and transport failure is reported to the cluster's passive health policy, and a tool call's answer is read under
/// its result-size cap and, when the call relays them, with its notifications taken off its event stream in order. Requests are only ever sent to the chosen destination: the legacy SSE transport POSTs to the
/// URL an upstream names in its <c>endpoint</c> event, and one naming another host is refused.
/// </summary>
internal sealed partial class ClusterDestinationHandler : HttpMessageHandler
{
    /// <summary>The origin the SDK's transport addresses; this handler puts the chosen destination's in its place.</summary>
    public static readonly Uri PlaceholderOrigin = new("http://upstream.invalid");

    private readonly string _server;
    private readonly string _clusterId;
    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;
    private readonly VerifiedIdentityHeaders _identity;
    private readonly UpstreamAuthorization? _authorization;
    private readonly UpstreamPassiveHealth _health;
    private readonly ILogger _logger;
    private DestinationState? _pinned;

    public ClusterDestinationHandler(
        string server,
        string clusterId,
        IProxyStateLookup proxyState,
        FrozenDictionary<string, ILoadBalancingPolicy> policies,
        VerifiedIdentityHeaders identity,
        UpstreamAuthorization? authorization,
        UpstreamPassiveHealth health,
        ILogger logger)
    {
        _health = health;
        _server = server;
        _clusterId = clusterId;
        _proxyState = proxyState;
        _policies = policies;
        _identity = identity;
        _authorization = authorization;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_proxyState.TryGetCluster(_clusterId, out var cluster))
        {
            throw new UpstreamUnavailableException($"cluster '{_clusterId}' of upstream '{_server}' is not loaded");
        }

        var call = UpstreamCaller.Current;
        var destination = Destination(cluster, call?.Caller);
        request.RequestUri = Target(destination, request.RequestUri!);
        if (cluster.Model.Config.HttpRequest is { } settings)
        {
            request.Version = settings.Version ?? request.Version;
            request.VersionPolicy = settings.VersionPolicy ?? request.VersionPolicy;
        }

        var credential = await AuthorizeAsync(request, rejected: null, cancellationToken);
        if (call is not null)
        {
            _identity.Add(request.Headers, call.Caller);
        }

        var response = await SendToAsync(cluster, destination, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && _authorization is { CanRenew: true })
        {
            Log.Renewing(_logger, _server);
            response.Dispose();

            // Not disposed: it shares the SDK's request content, which the SDK disposes with its own request.
#pragma warning disable CA2000
            var again = Copy(request);
#pragma warning restore CA2000
            await AuthorizeAsync(again, credential, cancellationToken);
            response = await SendToAsync(cluster, destination, again, cancellationToken);
        }

        if (call is null)
        {
            return response;
        }

        try
        {
            response.Content = await call.Cap.ApplyAsync(response.Content, cancellationToken);
            if (call.RelatedNotifications is { } observe)
            {
                response.Content = await Relay.RelatedMessageStream.ApplyAsync(response.Content, observe, cancellationToken);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendToAsync(ClusterState cluster, DestinationState destination, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await cluster.Model.HttpClient.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            _health.Report(cluster, destination, ex);
            throw;
        }

        _health.Report(cluster, destination, transportFailure: null);
        return response;
    }

    private async Task<string?> AuthorizeAsync(HttpRequestMessage request, string? rejected, CancellationToken cancellationToken)
    {
        if (_authorization is null)
        {
            return null;
        }

        var value = await _authorization.ValueAsync(rejected, cancellationToken);
        request.Headers.Remove(_authorization.HeaderName);
        request.Headers.TryAddWithoutValidation(_authorization.HeaderName, value);
        return value;
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = request.Content,
        };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        return copy;
    }

    private DestinationState Destination(ClusterState cluster, HttpContext? caller)
    {
        var available = cluster.DestinationsState.AvailableDestinations;
        if (Volatile.Read(ref _pinned) is { } pinned)
        {
            return available.Contains(pinned)
                ? pinned
                : throw new UpstreamUnavailableException($"the destination of upstream '{_server}''s session is no longer available");
        }

        if (available.Count == 0)
        {
            throw new UpstreamUnavailableException($"cluster '{_clusterId}' of upstream '{_server}' has no available destination");
        }

        var policyName = cluster.Model.Config.LoadBalancingPolicy ?? LoadBalancingPolicies.PowerOfTwoChoices;
        var picked = _policies.TryGetValue(policyName, out var policy)
            ? policy.PickDestination(caller ?? new DefaultHttpContext(), cluster, available)
            : available[0];
        if (picked is null)
        {
            throw new UpstreamUnavailableException($"the load balancing policy of cluster '{_clusterId}' picked no destination for upstream '{_server}'");
        }

        Interlocked.CompareExchange(ref _pinned, picked, null);
        return _pinned!;
    }

    /// <summary>
    /// The destination's address (with any path base it has) plus the upstream path and query the SDK asked for; or,
    /// for a message URL an SSE upstream gave in full, that URL when it is on the destination itself.
    /// </summary>
    private Uri Target(DestinationState destination, Uri requested)
    {
        var address = new Uri(destination.Model.Config.Address, UriKind.Absolute);
        if (SameOrigin(requested, PlaceholderOrigin))
        {
            var builder = new UriBuilder(address)
            {
                Path = address.AbsolutePath.TrimEnd('/') + requested.AbsolutePath,
                Query = requested.Query.TrimStart('?'),
            };
            return builder.Uri;
        }

        if (SameOrigin(requested, address))
        {
            return requested;
        }

        // A hostile or misconfigured upstream must not make the gateway send its messages, credential and callers'
        // identity to another host.
        var elsewhere = requested.GetLeftPart(UriPartial.Authority);
        Log.ForeignEndpoint(_logger, _server, elsewhere);
        throw new UpstreamUnavailableException(
            $"upstream '{_server}' named a message endpoint on another host ({elsewhere}); the gateway sends an upstream's messages only to the destination its session was opened on");
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port
        && a.UserInfo.Length == 0;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3453, Level = LogLevel.Information, Message = "Upstream '{Server}' answered 401 to the gateway's access token; sending once more with a new token")]
        public static partial void Renewing(ILogger logger, string server);

        [LoggerMessage(EventId = 3454, Level = LogLevel.Warning, Message = "Upstream '{Server}' named a message endpoint on another host ({Elsewhere}); refused")]
        public static partial void ForeignEndpoint(ILogger logger, string server, string elsewhere);
    }
}
