using System.Collections.Frozen;
using Gateway.Proxy.Federation.Resources;
using Gateway.Proxy.Security.Forwarding;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Federation;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;

namespace Gateway.Proxy.Federation;

/// <summary>
/// Keeps one <see cref="UpstreamSession"/> per upstream of the serving routes.json generation (a reload that leaves an
/// upstream's entry unchanged keeps its session) and its tools in the catalog: read when the upstream appears, on its
/// <c>list_changed</c> notifications and every <see cref="FederationOptions.RefreshInterval"/>; while it cannot be
/// reached the last tools it listed stay (the health-aware catalog rules flag or hide them), and the next attempt comes
/// sooner, backing off up to the interval.
/// </summary>
public sealed partial class UpstreamRegistry : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(1);

    private readonly UpstreamDefinitions _definitions;
    private readonly ToolCatalogHolder _catalog;
    private readonly FederatedPrimitiveCatalog _primitives;
    private readonly UpstreamTransports _transports;
    private readonly FederationOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<UpstreamRegistry> _logger;
    private readonly Lock _gate = new();
    private FrozenDictionary<string, Entry> _entries = FrozenDictionary<string, Entry>.Empty;
    private bool _started;

    public UpstreamRegistry(
        UpstreamDefinitions definitions,
        ToolCatalogHolder catalog,
        FederatedPrimitiveCatalog primitives,
        UpstreamTransports transports,
        IOptions<FederationOptions> options,
        ILoggerFactory loggerFactory)
    {
        _definitions = definitions;
        _catalog = catalog;
        _primitives = primitives;
        _transports = transports;
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<UpstreamRegistry>();
    }

    public bool TryGetSession(string server, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpstreamSession? session)
    {
        session = Volatile.Read(ref _entries).TryGetValue(server, out var entry) ? entry.Session : null;
        return session is not null;
    }

    /// <summary>Re-reads an upstream's tools now and waits for the catalog to have them (tests, operators).</summary>
    public Task RefreshAsync(string server, CancellationToken cancellationToken) =>
        Volatile.Read(ref _entries).TryGetValue(server, out var entry) ? RefreshOnceAsync(entry, cancellationToken) : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _started = true;
        }

        _definitions.Changed += Apply;
        Apply(_definitions.Current);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _definitions.Changed -= Apply;
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        FrozenDictionary<string, Entry> entries;
        lock (_gate)
        {
            _started = false;
            entries = _entries;
            _entries = FrozenDictionary<string, Entry>.Empty;
        }

        foreach (var entry in entries.Values)
        {
            await entry.StopAsync();
        }
    }

    private void Apply(IReadOnlyList<UpstreamDefinition> upstreams)
    {
        var stopped = new List<Entry>();
        lock (_gate)
        {
            if (!_started)
            {
                return;
            }

            var next = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var upstream in upstreams)
            {
                if (_entries.TryGetValue(upstream.Server, out var existing) && existing.Session.Upstream.IsSameAs(upstream))
                {
                    next[upstream.Server] = existing;
                    continue;
                }

                if (existing is not null)
                {
                    stopped.Add(existing);
                }

                next[upstream.Server] = Start(upstream);
            }

            foreach (var (server, entry) in _entries)
            {
                if (!next.ContainsKey(server))
                {
                    stopped.Add(entry);
                    _catalog.RemoveUpstream(server);
                    _primitives.Remove(server);
                    Log.Removed(_logger, server);
                }
            }

            _entries = next.ToFrozenDictionary(StringComparer.Ordinal);
        }

        foreach (var entry in stopped)
        {
            _ = entry.StopAsync();
        }
    }

    private Entry Start(UpstreamDefinition upstream)
    {
        var session = new UpstreamSession(upstream, _transports, _options, _loggerFactory);
        var entry = new Entry(session);
        session.ToolsChanged += entry.Signal;
        WatchPrimitives(entry);
        entry.Loop = Task.Run(() => RefreshLoopAsync(entry));
        return entry;
    }

    private async Task RefreshLoopAsync(Entry entry)
    {
        var failures = 0;
        var stopping = entry.Stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await RefreshOnceAsync(entry, stopping);
                failures = 0;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                failures++;
                Log.RefreshFailed(_logger, entry.Session.Upstream.Server, ex.Message);
            }

            var wait = failures == 0
                ? _options.RefreshInterval
                : TimeSpan.FromTicks(Math.Min(_options.RefreshInterval.Ticks, s_firstRetry.Ticks << Math.Min(failures - 1, 16)));
            await entry.WaitAsync(wait, stopping);
        }
    }

    private async Task RefreshOnceAsync(Entry entry, CancellationToken cancellationToken)
    {
        var upstream = entry.Session.Upstream;
        var listed = await entry.Session.ListToolsAsync(cancellationToken);
        var problems = new List<string>();
        var tools = UpstreamToolCatalog.Build(upstream, listed, problems);
        lock (_gate)
        {
            // A reload may have replaced or removed the upstream while its tools were being read.
            if (!_entries.TryGetValue(upstream.Server, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            foreach (var name in _catalog.PublishUpstream(upstream.Server, tools))
            {
                problems.Add($"tool '{name}' is left out: a REST tool or another upstream already has that name");
            }
        }

        var report = string.Join("\n", problems);
        if (report != entry.LastReport)
        {
            entry.LastReport = report;
            foreach (var problem in problems)
            {
                Log.ToolLeftOut(_logger, upstream.Server, problem);
            }

            Log.ToolsListed(_logger, upstream.Server, tools.Count, listed.Count);
        }

        await RefreshPrimitivesAsync(entry, cancellationToken);
    }

    private sealed class Entry(UpstreamSession session)
    {
        private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public UpstreamSession Session { get; } = session;

        public CancellationTokenSource Stopping { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        public string? LastReport { get; set; }

        public string? LastPrimitivesReport { get; set; }

        public void Signal() => Volatile.Read(ref _signal).TrySetResult();

        public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            var signal = Volatile.Read(ref _signal).Task;
            await Task.WhenAny(signal, Task.Delay(delay, cancellationToken));
            if (signal.IsCompleted)
            {
                Interlocked.Exchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }

        public async Task StopAsync()
        {
            await Stopping.CancelAsync();
            await Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await Session.DisposeAsync();
            Stopping.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3410, Level = LogLevel.Information, Message = "Upstream '{Server}': {ToolCount} tools federated of {ListedCount} listed")]
        public static partial void ToolsListed(ILogger logger, string server, int toolCount, int listedCount);

        [LoggerMessage(EventId = 3411, Level = LogLevel.Warning, Message = "Upstream '{Server}': {Problem}")]
        public static partial void ToolLeftOut(ILogger logger, string server, string problem);

        [LoggerMessage(EventId = 3412, Level = LogLevel.Warning, Message = "Upstream '{Server}': could not list its tools ({Error}); its last known tools stay listed and the gateway tries again")]
        public static partial void RefreshFailed(ILogger logger, string server, string error);

        [LoggerMessage(EventId = 3413, Level = LogLevel.Information, Message = "Upstream '{Server}' was removed from routes.json; its tools are gone from the catalog")]
        public static partial void Removed(ILogger logger, string server);
    }
}
