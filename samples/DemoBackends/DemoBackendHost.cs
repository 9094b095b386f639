using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace DemoBackends;

/// <summary>
/// Runs the four demo backends in this process, each on its own Kestrel port. A backend can be stopped (its port then
/// refuses connections) and started again on the same port, to exercise the gateway's failure handling.
/// </summary>
public sealed class DemoBackendHost : IAsyncDisposable
{
    private readonly DemoBackendOptions _options;
    private readonly Dictionary<string, WebApplication?> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Uri> _addresses = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    private DemoBackendHost(DemoBackendOptions options) => _options = options;

    public Uri LlmGateway => _addresses[BackendNames.LlmGateway];
    public Uri SemanticSearch => _addresses[BackendNames.SemanticSearch];
    public Uri AiAgents => _addresses[BackendNames.AiAgents];
    public Uri CodeOrchestrator => _addresses[BackendNames.CodeOrchestrator];

    public DemoFaults Faults { get; } = new();

    /// <summary>Base address of a backend by name (see <see cref="BackendNames"/>).</summary>
    public Uri AddressOf(string name) => _addresses.TryGetValue(name, out var address)
        ? address
        : throw new ArgumentException($"Unknown backend '{name}'. Known: {string.Join(", ", BackendNames.All)}.", nameof(name));

    public static async Task<DemoBackendHost> StartAsync(DemoBackendOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new DemoBackendHost(options);
        try
        {
            foreach (var name in BackendNames.All)
            {
                var app = await host.LaunchAsync(name, options.PortOf(name), ct);
                host._addresses[name] = BoundAddress(app);
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Stops one backend; new connections to its port are refused until <see cref="StartBackendAsync"/>.</summary>
    public async Task StopBackendAsync(string name)
    {
        var faults = Faults[name];
        await _gate.WaitAsync();
        try
        {
            if (_apps.GetValueOrDefault(name) is { } app)
            {
                _apps[name] = null;
                await app.StopAsync();
                await app.DisposeAsync();
            }

            faults.IsDown = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a stopped backend again on the port it had before; does nothing if it is running.</summary>
    public async Task StartBackendAsync(string name)
    {
        var faults = Faults[name];
        await _gate.WaitAsync();
        try
        {
            if (_apps.GetValueOrDefault(name) is null)
            {
                await LaunchAsync(name, AddressOf(name).Port, CancellationToken.None);
            }

            faults.IsDown = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in BackendNames.All)
        {
            if (_apps.GetValueOrDefault(name) is { } app)
            {
                _apps[name] = null;
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        _gate.Dispose();
    }

    private async Task<WebApplication> LaunchAsync(string name, int port, CancellationToken ct)
    {
        var app = BackendApp.Build(name, _options.Host, port, _options, Faults[name]);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _apps[name] = app;
        return app;
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.First() + "/");
    }
}
