using System.Collections.Frozen;
using System.Security.Cryptography;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Keys;

/// <summary>
/// The API keys of the key file, checked in constant time. The file is watched (its directory too, so a Kubernetes
/// Secret's symlink swap is seen) and re-read on a timer; a file that fails to parse is logged and the last good
/// keys keep working.
/// </summary>
public sealed partial class ApiKeyStore : IHostedService, IDisposable
{
    private readonly ApiKeyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private FrozenDictionary<string, Entry> _entries = FrozenDictionary<string, Entry>.Empty;
    private byte[]? _lastHash;
    private FileSystemWatcher? _watcher;
    private Task? _pollLoop;

    public ApiKeyStore(IOptions<SecurityOptions> options, IHostEnvironment environment, ILoggerFactory loggerFactory, GatewayMetrics metrics, TimeProvider? time = null)
    {
        _options = options.Value.ApiKeys;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger(SecurityEvents.LoggerCategory);
        FilePath = Path.GetFullPath(_options.Path, environment.ContentRootPath);
        metrics.ObserveApiKeyExpiry(ActiveExpiries);
    }

    public string FilePath { get; }

    /// <summary>Raised after a reload applied a new key set.</summary>
    public event Action? Reloaded;

    public int Count => Volatile.Read(ref _entries).Count;

    public ApiKeyVerification Verify(ReadOnlySpan<char> presented)
    {
        if (!ApiKeyFormat.TryGetId(presented, out var id)
            || !Volatile.Read(ref _entries).GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out var entry))
        {
            return new ApiKeyVerification(ApiKeyStatus.Invalid, null);
        }

        Span<byte> hash = stackalloc byte[ApiKeyFormat.HashBytes];
        ApiKeyFormat.ComputeHash(presented, hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
        {
            return new ApiKeyVerification(ApiKeyStatus.Invalid, null);
        }

        // Status is only revealed to someone holding the whole key.
        var record = entry.Record;
        if (record.Revoked is not null)
        {
            return new ApiKeyVerification(ApiKeyStatus.Revoked, record);
        }

        return record.Expires is { } expires && expires <= _time.GetUtcNow()
            ? new ApiKeyVerification(ApiKeyStatus.Expired, record)
            : new ApiKeyVerification(ApiKeyStatus.Valid, record);
    }

    /// <summary>Re-reads the key file if its content changed; true when new keys were applied.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(FilePath, cancellationToken);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                if (Count > 0)
                {
                    // A file that held keys and vanished is a swap in progress, not a revocation (use 'keys revoke').
                    Log.ReadFailed(_logger, FilePath, "the file is missing");
                    return false;
                }

                bytes = [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Mid-swap a mounted Secret can be briefly unreadable; keep the current keys and look again next tick.
                Log.ReadFailed(_logger, FilePath, ex.Message);
                return false;
            }

            var hash = SHA256.HashData(bytes);
            if (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash))
            {
                return false;
            }

            _lastHash = hash;
            var document = bytes.Length == 0 ? new ApiKeyDocument() : ApiKeyFile.Parse(bytes, out var error) ?? Rejected(error);
            if (document is null)
            {
                return false;
            }

            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var record in document.Keys)
            {
                ApiKeyFormat.TryDecodeHash(record.Hash, out var decoded);
                entries[record.Id] = new Entry(record, decoded);
            }

            Volatile.Write(ref _entries, entries.ToFrozenDictionary(StringComparer.Ordinal));
            Log.Loaded(_logger, FilePath, entries.Count);
            Reloaded?.Invoke();
            return true;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        var directory = Path.GetDirectoryName(FilePath)!;
        try
        {
            if (Directory.Exists(directory))
            {
                // The whole directory: a Secret update swaps the '..data' symlink rather than writing the file.
                _watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                _watcher.Changed += OnFileEvent;
                _watcher.Created += OnFileEvent;
                _watcher.Deleted += OnFileEvent;
                _watcher.Renamed += OnFileEvent;
                _watcher.EnableRaisingEvents = true;
            }
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Log.WatchUnavailable(_logger, directory, ex.Message);
        }

        _pollLoop = PollAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _watcher?.Dispose();
        if (_pollLoop is not null)
        {
            await _pollLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _stopping.Dispose();
        _reloadLock.Dispose();
    }

    private ApiKeyDocument? Rejected(string? error)
    {
        Log.Rejected(_logger, FilePath, error ?? "unknown error");
        return null;
    }

    private IEnumerable<KeyValuePair<string, DateTimeOffset>> ActiveExpiries()
    {
        foreach (var (id, entry) in Volatile.Read(ref _entries))
        {
            if (entry.Record is { Revoked: null, Expires: { } expires })
            {
                yield return KeyValuePair.Create(id, expires);
            }
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _ = ReloadSafelyAsync(TimeSpan.FromMilliseconds(100));

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReloadSafelyAsync(TimeSpan.Zero);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReloadSafelyAsync(TimeSpan debounce)
    {
        try
        {
            if (debounce > TimeSpan.Zero)
            {
                await Task.Delay(debounce, _stopping.Token);
            }

            await ReloadAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            Log.ReloadCrashed(_logger, ex);
        }
    }

    private sealed record Entry(ApiKeyRecord Record, byte[] Hash);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Loaded {Count} API keys from {Path}")]
        public static partial void Loaded(ILogger logger, string path, int count);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Rejected the API key file {Path}: {Error}; the previous keys stay in use")]
        public static partial void Rejected(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Could not read the API key file {Path}: {Error}; the previous keys stay in use")]
        public static partial void ReadFailed(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Cannot watch {Directory} ({Error}); relying on polling")]
        public static partial void WatchUnavailable(ILogger logger, string directory, string error);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "API key file reload failed unexpectedly")]
        public static partial void ReloadCrashed(ILogger logger, Exception exception);
    }
}
