using Gateway.Proxy.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>The real gateway host on real Kestrel (127.0.0.1, ephemeral port) with its own routes.json in a temp folder.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri address, string directory)
    {
        _app = app;
        Address = address;
        Directory = directory;
    }

    public Uri Address { get; }

    public Uri McpEndpoint => new(Address, "mcp");

    public string Directory { get; }

    public string RoutesPath => Path.Combine(Directory, "routes.json");

    public IServiceProvider Services => _app.Services;

    public static async Task<TestGateway> StartAsync(string routesJson, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "routes.json"), routesJson);

        var app = await GatewayApplication.CreateAsync([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var values = new Dictionary<string, string?>
            {
                ["Gateway:RoutesPath"] = Path.Combine(directory, "routes.json"),
                ["Gateway:RoutesPollInterval"] = "00:00:00.200",
                ["Gateway:Audit:Path"] = Path.Combine(directory, "logs", "audit.jsonl"),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestGateway(app, new Uri(address + "/"), directory);
    }

    public Task WriteRoutesAsync(string routesJson) => File.WriteAllTextAsync(RoutesPath, routesJson);

    public T GetRequiredService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
