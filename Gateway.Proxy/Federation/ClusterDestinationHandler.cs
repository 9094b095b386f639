using System.Collections.Frozen;
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
/// caller's verified identity are added; nothing of the caller's own request is. Every answer and transport failure is
/// reported to the cluster's passive health policy, and a tool call's answer is read under its result-size cap.
/// </summary>
internal sealed class ClusterDestinationHandler : HttpMessageHandler
{
    private readonly string _server;
    private readonly string _clusterId;
    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;
    private readonly VerifiedIdentityHeaders _identity;
    private readonly KeyValuePair<string, string>? _credential;
    private readonly UpstreamPassiveHealth _health;
    private DestinationState? _pinned;

    public ClusterDestinationHandler(
        string server,
        string clusterId,
        IProxyStateLookup proxyState,
        FrozenDictionary<string, ILoadBalancingPolicy> policies,
        VerifiedIdentityHeaders identity,
        KeyValuePair<string, string>? credential,
        UpstreamPassiveHealth health)
    {
        _health = health;
        _server = server;
        _clusterId = clusterId;
        _proxyState = proxyState;
        _policies = policies;
        _identity = identity;
        _credential = credential;
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

        if (_credential is { } credential)
        {
            request.Headers.Remove(credential.Key);
            request.Headers.TryAddWithoutValidation(credential.Key, credential.Value);
        }

        if (call is not null)
        {
            _identity.Add(request.Headers, call.Caller);
        }

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
        if (call is null)
        {
            return response;
        }

        try
        {
            response.Content = await call.Cap.ApplyAsync(response.Content, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
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

    /// <summary>The destination's address (with any path base it has) plus the upstream path and query the SDK asked for.</summary>
    private static Uri Target(DestinationState destination, Uri requested)
    {
        var address = new Uri(destination.Model.Config.Address, UriKind.Absolute);
        var builder = new UriBuilder(address)
        {
            Path = address.AbsolutePath.TrimEnd('/') + requested.AbsolutePath,
            Query = requested.Query.TrimStart('?'),
        };
        return builder.Uri;
    }
}
