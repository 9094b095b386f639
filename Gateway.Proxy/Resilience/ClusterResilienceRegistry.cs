using System.Collections.Concurrent;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Resilience;

/// <summary>One <see cref="ClusterResilience"/> per cluster id, created on first use and kept across reloads.</summary>
public sealed class ClusterResilienceRegistry
{
    private readonly ConcurrentDictionary<string, ClusterResilience> _clusters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;

    public ClusterResilienceRegistry(IOptions<ResilienceOptions> options, TimeProvider? time = null)
    {
        _options = options.Value;
        _time = time ?? TimeProvider.System;
    }

    public ClusterResilience For(ClusterConfig config)
    {
        if (_clusters.TryGetValue(config.ClusterId, out var existing))
        {
            if (!ReferenceEquals(existing.Config, config))
            {
                existing.Adopt(config, _options.MaxConcurrentRequestsPerCluster);
            }

            return existing;
        }

        return _clusters.GetOrAdd(config.ClusterId, static (_, state) => new ClusterResilience(state.config, state.options, state.time), (config, options: _options, time: _time));
    }

    public bool TryGet(string clusterId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClusterResilience? cluster) =>
        _clusters.TryGetValue(clusterId, out cluster);

    public IEnumerable<KeyValuePair<string, CircuitStateCode>> CircuitStates()
    {
        foreach (var (id, cluster) in _clusters)
        {
            yield return KeyValuePair.Create(id, cluster.CircuitState);
        }
    }
}
