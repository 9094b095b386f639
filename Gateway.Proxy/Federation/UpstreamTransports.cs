using System.Collections.Frozen;
using Gateway.Proxy.Security.Forwarding;
using Gateway.Transforms.Federation;
using ModelContextProtocol.Client;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;

namespace Gateway.Proxy.Federation;

/// <summary>Builds the SDK client transport of an upstream: Streamable HTTP to its YARP cluster, or its own process over stdio.</summary>
public sealed class UpstreamTransports
{
    private static readonly Uri s_placeholderOrigin = new("http://upstream.invalid");

    private readonly IProxyStateLookup _proxyState;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;
    private readonly VerifiedIdentityHeaders _identity;
    private readonly UpstreamPassiveHealth _health;
    private readonly ILoggerFactory _loggerFactory;

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
    }

    public IClientTransport Create(UpstreamDefinition upstream, TimeSpan connectTimeout) =>
        upstream.Declaration.Process is { } process ? Stdio(upstream.Server, process) : StreamableHttp(upstream, connectTimeout);

    private HttpClientTransport StreamableHttp(UpstreamDefinition upstream, TimeSpan connectTimeout)
    {
        var handler = new ClusterDestinationHandler(upstream.Server, upstream.ClusterId, _proxyState, _policies, _identity,
            UpstreamCredentials.Header(upstream.Credential, upstream.Server), _health);
        return new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(s_placeholderOrigin, upstream.Path),
                TransportMode = HttpTransportMode.StreamableHttp,
                Name = upstream.Server,
                ConnectionTimeout = connectTimeout,
            },
            new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan },
            _loggerFactory,
            ownsHttpClient: true);
    }

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
