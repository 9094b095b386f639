using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Gateway.Proxy.Security.Forwarding;
using Gateway.Transforms.Federation;
using ModelContextProtocol.Client;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Builds the SDK client transport of an upstream: Streamable HTTP or legacy HTTP+SSE to its YARP cluster, or its own
/// process over stdio; and keeps each upstream's OAuth token source, so a new session reuses a token still valid.
/// </summary>
public sealed class UpstreamTransports : IDisposable
{
    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;
    private readonly VerifiedIdentityHeaders _identity;
    private readonly UpstreamPassiveHealth _health;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<UpstreamDefinition, OAuthClientCredentialsTokenSource> _tokenSources = new();

    // Token requests go straight to the authorization server (never through a YARP cluster) and never follow a
    // redirect, which would carry the client secret somewhere routes.json did not name.
    private readonly HttpClient _tokenHttp = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public UpstreamTransports(
        IProxyStateLookup proxyState,
        IEnumerable<ILoadBalancingPolicy> policies,
        VerifiedIdentityHeaders identity,
        UpstreamPassiveHealth health,
        ILoggerFactory loggerFactory)
    {
        _proxyState = proxyState;
        _policies = policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _identity = identity;
        _health = health;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<UpstreamTransports>();
    }

    public IClientTransport Create(UpstreamDefinition upstream, TimeSpan connectTimeout) =>
        upstream.Declaration.Process is { } process ? Stdio(upstream.Server, process) : Http(upstream, connectTimeout);

    public void Dispose() => _tokenHttp.Dispose();

    private HttpClientTransport Http(UpstreamDefinition upstream, TimeSpan connectTimeout)
    {
        var handler = new ClusterDestinationHandler(upstream.Server, upstream.ClusterId, _proxyState, _policies, _identity,
            Authorization(upstream, connectTimeout), _health, _logger);
        return new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(ClusterDestinationHandler.PlaceholderOrigin, upstream.Path),
                TransportMode = upstream.Declaration.Transport == UpstreamTransport.Sse ? HttpTransportMode.Sse : HttpTransportMode.StreamableHttp,
                Name = upstream.Server,
                ConnectionTimeout = connectTimeout,
            },
            new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan },
            _loggerFactory,
            ownsHttpClient: true);
    }

    private UpstreamAuthorization? Authorization(UpstreamDefinition upstream, TimeSpan timeout) =>
        upstream.Credential.Type == UpstreamCredentialType.OAuthClientCredentials
            ? _tokenSources.GetValue(upstream, u => new OAuthClientCredentialsTokenSource(u.Server, u.Credential, _tokenHttp, timeout, TimeProvider.System, _logger))
            : UpstreamCredentials.Header(upstream.Credential, upstream.Server);

    private StdioClientTransport Stdio(string server, UpstreamProcess process)
    {
        // Not the gateway's whole environment (its secrets, credential variables): the SDK's curated basics (PATH, HOME...)
        // plus what routes.json gives this server.
        var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        foreach (var (name, value) in process.Environment)
        {
            environment[name] = value;
        }

        return new StdioClientTransport(
            new StdioClientTransportOptions
            {
                Name = server,
                Command = process.Command,
                Arguments = [.. process.Arguments],
                WorkingDirectory = process.WorkingDirectory,
                InheritEnvironmentVariables = false,
                EnvironmentVariables = environment,
            },
            _loggerFactory);
    }
}
