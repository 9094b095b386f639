using Gateway.Proxy.Hosting;
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
    private FrozenDictionary<string, Entry> _entries = FrozenDictionary<string, Entry>.Empty;
    private byte[]? _lastHash;
    private FileChangeWatcher? _watcher;

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
        var now = _time.GetUtcNow();
        if (record.IsRevokedAt(now))
        {
            return new ApiKeyVerification(ApiKeyStatus.Revoked, record);
        }

        return record.Expires is { } expires && expires <= now
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
        _watcher = new FileChangeWatcher(FilePath, _options.PollInterval, ReloadAsync, _logger);
        _watcher.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
        {
            await _watcher.DisposeAsync();
        }
    }

    public void Dispose() => _reloadLock.Dispose();

    private ApiKeyDocument? Rejected(string? error)
    {
        Log.Rejected(_logger, FilePath, error ?? "unknown error");
        return null;
    }

    private IEnumerable<KeyValuePair<string, DateTimeOffset>> ActiveExpiries()
    {
        foreach (var (id, entry) in Volatile.Read(ref _entries))
        {
            // A rotated key in its grace period is retiring on purpose; the alert is for keys nobody has replaced.
            if (entry.Record is { Revoked: null, Expires: { } expires })
            {
                yield return KeyValuePair.Create(id, expires);
            }
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
    }
}
