using Gateway.Proxy.Hosting;
using System.Security.Cryptography;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Configuration;
using Gateway.Transforms.Federation;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Configuration;

/// <summary>
/// Serves routes.json to YARP, the tool catalog and the federated upstreams. A reload validates the whole file first and then swaps routes,
/// clusters and tools together; a file that fails validation is logged error by error and the last good generation
/// keeps serving. The file is watched (including the directory, so a Kubernetes ConfigMap's symlink swap is seen)
/// and re-read on a timer as a safety net.
/// </summary>
public sealed partial class RoutesFileConfigProvider : IProxyConfigProvider, IHostedService, IDisposable
{
    private readonly RoutesValidator _validator;
    private readonly ToolCatalogHolder _catalog;
    private readonly UpstreamDefinitions _upstreams;
    private readonly ILogger<RoutesFileConfigProvider> _logger;
    private readonly GatewayOptions _options;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private GatewayProxyConfig? _current;
    private byte[]? _lastSeenHash;
    private long _generation;
    private FileChangeWatcher? _watcher;
    private RoutesReloadFailure? _failure;
    private bool _unreadable;

    public RoutesFileConfigProvider(
        IConfigValidator yarpValidator,
        ToolCatalogHolder catalog,
        UpstreamDefinitions upstreams,
        IOptions<GatewayOptions> options,
        IHostEnvironment environment,
        ILogger<RoutesFileConfigProvider> logger)
    {
        _validator = new RoutesValidator(yarpValidator);
        _catalog = catalog;
        _upstreams = upstreams;
        _logger = logger;
        _options = options.Value;
        RoutesPath = Path.GetFullPath(_options.RoutesPath, environment.ContentRootPath);
    }

    public string RoutesPath { get; }

    /// <summary>Raised after each reload attempt: true when applied, false when rejected (for metrics).</summary>
    public event Action<bool>? ReloadAttempted;

    public bool IsLoaded => _current is not null;

    /// <summary>
    /// Why the file on disk is not what is serving (a rejected reload, or a file that cannot be read), until a reload
    /// applies; null while the served configuration is the file's.
    /// </summary>
    public RoutesReloadFailure? PendingFailure => Volatile.Read(ref _failure);

    public IProxyConfig GetConfig() =>
        _current ?? throw new InvalidOperationException("routes.json has not been loaded; call LoadInitialAsync during startup.");

    /// <summary>Loads the first generation; throws <see cref="RoutesConfigException"/> listing every error.</summary>
    public async Task LoadInitialAsync(CancellationToken cancellationToken = default)
    {
        var (bytes, hash, readError) = await ReadAsync(cancellationToken);
        var errors = new List<string>();
        if (readError is not null)
        {
            errors.Add(readError);
        }

        var validated = bytes is null ? null : await ValidateAsync(bytes, errors);
        if (validated is null)
        {
            throw new RoutesConfigException(RoutesPath, errors);
        }

        _lastSeenHash = hash;
        Apply(validated);
        Log.Loaded(_logger, RoutesPath, validated.Routes.Count, validated.Catalog.Tools.Count);
    }

    /// <summary>Re-reads routes.json now if its content changed. Returns true when a new generation was applied.</summary>
    public async Task<bool> ReloadIfChangedAsync(CancellationToken cancellationToken = default)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var (bytes, hash, readError) = await ReadAsync(cancellationToken);
            if (bytes is null)
            {
                // Mid-swap a ConfigMap can briefly lack the file; keep serving and look again on the next tick. A lasting
                // condition is logged once, not on every tick.
                if (!_unreadable)
                {
                    _unreadable = true;
                    Log.ReadFailed(_logger, RoutesPath, readError ?? "unknown error");
                    Volatile.Write(ref _failure, new RoutesReloadFailure(DateTimeOffset.UtcNow, [readError ?? "unknown error"]));
                }

                return false;
            }

            if (_unreadable)
            {
                _unreadable = false;
                Log.ReadRecovered(_logger, RoutesPath);
                if (_lastSeenHash is not null && hash.AsSpan().SequenceEqual(_lastSeenHash) && _failure is { Errors: [var only] } && only.StartsWith("cannot read", StringComparison.Ordinal))
                {
                    Volatile.Write(ref _failure, null);
                }
            }

            if (_lastSeenHash is not null && hash.AsSpan().SequenceEqual(_lastSeenHash))
            {
                return false;
            }

            _lastSeenHash = hash;
            var errors = new List<string>();
            var validated = await ValidateAsync(bytes, errors);
            if (validated is null)
            {
                foreach (var error in errors)
                {
                    Log.ReloadError(_logger, error);
                }

                Log.ReloadRejected(_logger, RoutesPath, errors.Count);
                Volatile.Write(ref _failure, new RoutesReloadFailure(DateTimeOffset.UtcNow, errors));
                ReloadAttempted?.Invoke(false);
                return false;
            }

            Apply(validated);
            Volatile.Write(ref _failure, null);
            Log.Reloaded(_logger, RoutesPath, validated.Routes.Count, validated.Catalog.Tools.Count, validated.Catalog.Generation);
            ReloadAttempted?.Invoke(true);
            return true;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watcher = new FileChangeWatcher(RoutesPath, _options.RoutesPollInterval, ReloadIfChangedAsync, _logger);
        _watcher.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
        {
            await _watcher.DisposeAsync();
        }
    }

    public void Dispose() => _reloadLock.Dispose();

    private async Task<ValidatedRoutes?> ValidateAsync(byte[] bytes, List<string> errors)
    {
        var document = RoutesDocumentParser.Parse(bytes, errors);
        if (document is null)
        {
            return null;
        }

        var generation = Interlocked.Increment(ref _generation);
        var validated = await _validator.ValidateAsync(document, generation, errors);
        return errors.Count == 0 ? validated : null;
    }

    private void Apply(ValidatedRoutes validated)
    {
        var previous = _current;
        _current = new GatewayProxyConfig(validated.Routes, validated.Clusters, validated.Catalog.Generation);
        previous?.SignalChanged();
        _catalog.Publish(validated.Catalog);
        _upstreams.Publish(validated.Upstreams);
    }

    private async Task<(byte[]? Bytes, byte[] Hash, string? Error)> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Path resolution follows symlinks on every read, so a swapped ConfigMap target is picked up.
            var bytes = await File.ReadAllBytesAsync(RoutesPath, cancellationToken);
            return (bytes, SHA256.HashData(bytes), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [], $"cannot read '{RoutesPath}': {ex.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Loaded {Path}: {RouteCount} routes, {ToolCount} tools")]
        public static partial void Loaded(ILogger logger, string path, int routeCount, int toolCount);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Reloaded {Path}: {RouteCount} routes, {ToolCount} tools (generation {Generation})")]
        public static partial void Reloaded(ILogger logger, string path, int routeCount, int toolCount, long generation);

        [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "routes.json reload error: {Error}")]
        public static partial void ReloadError(ILogger logger, string error);

        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Rejected the new {Path} ({ErrorCount} errors); the last good configuration keeps serving")]
        public static partial void ReloadRejected(ILogger logger, string path, int errorCount);

        [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Could not read {Path}: {Error}; the last good configuration keeps serving (logged once until the file is readable again)")]
        public static partial void ReadFailed(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "{Path} is readable again")]
        public static partial void ReadRecovered(ILogger logger, string path);

    }
}
