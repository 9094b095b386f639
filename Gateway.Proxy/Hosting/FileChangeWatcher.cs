namespace Gateway.Proxy.Hosting;

/// <summary>
/// Calls back when a mounted file may have changed: file-system events on its directory (so a Kubernetes
/// ConfigMap/Secret swap of the <c>..data</c> symlink is seen, not only writes to the file), debounced, plus a
/// periodic poll as a safety net for missed events. The callback decides whether the content really changed.
/// </summary>
public sealed partial class FileChangeWatcher : IAsyncDisposable
{
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(150);

    private readonly string _path;
    private readonly TimeSpan _pollInterval;
    private readonly Func<CancellationToken, Task> _onChange;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private FileSystemWatcher? _watcher;
    private Task? _pollLoop;

    public FileChangeWatcher(string path, TimeSpan pollInterval, Func<CancellationToken, Task> onChange, ILogger logger)
    {
        _path = path;
        _pollInterval = pollInterval;
        _onChange = onChange;
        _logger = logger;
    }

    public void Start()
    {
        var directory = Path.GetDirectoryName(_path)!;
        try
        {
            if (Directory.Exists(directory))
            {
                _watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    IncludeSubdirectories = false,
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

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        _watcher?.Dispose();
        if (_pollLoop is not null)
        {
            await _pollLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _ = NotifySafelyAsync(s_debounce);

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_pollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await NotifySafelyAsync(TimeSpan.Zero);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task NotifySafelyAsync(TimeSpan debounce)
    {
        try
        {
            if (debounce > TimeSpan.Zero)
            {
                // Editors and ConfigMap updates arrive as bursts of events; let the burst settle.
                await Task.Delay(debounce, _stopping.Token);
            }

            await _onChange(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            Log.ReloadCrashed(_logger, _path, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Cannot watch {Directory} ({Error}); relying on polling")]
        public static partial void WatchUnavailable(ILogger logger, string directory, string error);

        [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Reloading {Path} failed unexpectedly")]
        public static partial void ReloadCrashed(ILogger logger, string path, Exception exception);
    }
}
