using Gateway.Proxy.Configuration;
using Gateway.Proxy.Hosting;
using Gateway.Transforms.Federation.Pinning;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Federation.Pinning;

/// <summary>
/// The approved tool definitions the gateway serves with: read from the pin file when the gateway starts (a malformed
/// file stops it with one message), then watched like routes.json. A reload that cannot be read keeps the last good set
/// and is reported until the file is fixed; one that applies raises <see cref="Changed"/>, so a quarantine lifts as soon
/// as an operator approves the new definition.
/// </summary>
public sealed partial class ToolPins : IHostedService, IAsyncDisposable
{
    private readonly ToolPinningOptions _options;
    private readonly ILogger<ToolPins> _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private PinSet _current;
    private byte[] _lastSeen;
    private string? _failure;
    private FileChangeWatcher? _watcher;

    public ToolPins(IOptions<ToolPinningOptions> options, RoutesFileConfigProvider routes, IHostEnvironment environment, ILogger<ToolPins> logger)
    {
        _options = options.Value;
        _logger = logger;
        Path = ResolvePath(_options, routes.RoutesPath, environment.ContentRootPath);
        try
        {
            _lastSeen = ReadBytes(Path) ?? [];
            _current = _lastSeen.Length == 0 ? PinSet.Empty : PinFile.Parse(_lastSeen, Path);
        }
        catch (InvalidDataException ex)
        {
            throw new StartupConfigurationException(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupConfigurationException($"The pin file {Path} cannot be read: {ex.Message}");
        }
    }

    public string Path { get; }

    public PinSet Current => Volatile.Read(ref _current);

    /// <summary>Why the pin file on disk is not what is serving, until a reload applies.</summary>
    public string? PendingFailure => Volatile.Read(ref _failure);

    public UnpinnedToolPolicy DefaultUnpinned => _options.Unpinned;

    /// <summary>Raised after a changed pin file was applied.</summary>
    public event Action? Changed;

    public static string ResolvePath(ToolPinningOptions options, string routesPath, string contentRoot) =>
        string.IsNullOrWhiteSpace(options.File) ? PinFile.DefaultPathFor(routesPath) : System.IO.Path.GetFullPath(options.File, contentRoot);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watcher = new FileChangeWatcher(Path, _options.PollInterval, ReloadAsync, _logger);
        _watcher.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _watcher, null) is { } watcher)
        {
            await watcher.DisposeAsync();
        }
    }

    /// <summary>Re-reads the pin file now (the watcher calls this; tests too).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            byte[]? bytes;
            try
            {
                bytes = ReadBytes(Path) ?? [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail($"The pin file {Path} cannot be read: {ex.Message}");
                return;
            }

            if (bytes.AsSpan().SequenceEqual(_lastSeen))
            {
                return;
            }

            PinSet pins;
            try
            {
                pins = bytes.Length == 0 ? PinSet.Empty : PinFile.Parse(bytes, Path);
            }
            catch (InvalidDataException ex)
            {
                _lastSeen = bytes;
                Fail(ex.Message);
                return;
            }

            _lastSeen = bytes;
            Volatile.Write(ref _current, pins);
            Volatile.Write(ref _failure, null);
            Log.Reloaded(_logger, Path, pins.Servers.Values.Sum(t => t.Count));
            Changed?.Invoke();
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private void Fail(string message)
    {
        if (Volatile.Read(ref _failure) != message)
        {
            Volatile.Write(ref _failure, message);
            Log.ReloadRejected(_logger, message);
        }
    }

    private static byte[]? ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing approved yet.
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3443, Level = LogLevel.Information, Message = "Pin file {Path} reloaded: {PinCount} approved tool definitions")]
        public static partial void Reloaded(ILogger logger, string path, int pinCount);

        [LoggerMessage(EventId = 3444, Level = LogLevel.Error, Message = "{Error} The last good pins stay in force.")]
        public static partial void ReloadRejected(ILogger logger, string error);
    }
}
