using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Resilience;

/// <summary>
/// The first step of shutdown, before any hosted service stops: mark the gateway as draining (so /ready fails) and
/// keep serving for <see cref="ResilienceOptions.PreStopDelay"/> while the ingress notices. Kestrel then stops
/// accepting and lets in-flight requests finish within <see cref="ResilienceOptions.DrainTimeout"/> (the host's
/// ShutdownTimeout covers both), and only after that do the MCP SDK's session manager and the audit trail stop and flush.
/// </summary>
public sealed partial class GracefulShutdown : IHostedLifecycleService
{
    private readonly DrainState _drain;
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GracefulShutdown> _logger;

    public GracefulShutdown(DrainState drain, IOptions<ResilienceOptions> options, ILogger<GracefulShutdown> logger, TimeProvider? time = null)
    {
        _drain = drain;
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _drain.BeginDraining();
        Log.Draining(_logger, _options.PreStopDelay.TotalSeconds, _options.DrainTimeout.TotalSeconds);
        if (_options.PreStopDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.PreStopDelay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Information,
            Message = "Shutting down: /ready reports draining; accepting requests for {PreStopSeconds} s more, then finishing in-flight requests for up to {DrainSeconds} s")]
        public static partial void Draining(ILogger logger, double preStopSeconds, double drainSeconds);
    }
}
