namespace Gateway.Proxy.Resilience;

/// <summary>Set once shutdown begins (SIGTERM, Ctrl+C or StopApplication); from then on /ready reports the gateway as draining.</summary>
public sealed class DrainState : IDisposable
{
    private readonly CancellationTokenRegistration _registration;
    private int _draining;

    public DrainState(IHostApplicationLifetime lifetime) => _registration = lifetime.ApplicationStopping.Register(BeginDraining);

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    public void BeginDraining() => Volatile.Write(ref _draining, 1);

    public void Dispose() => _registration.Dispose();
}
