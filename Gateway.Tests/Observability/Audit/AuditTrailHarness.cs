using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Proxy.Observability.Audit;
using Gateway.Proxy.Observability.Metrics;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Observability.Audit;

/// <summary>A temporary directory and helpers to run an <see cref="AuditTrail"/> against it.</summary>
internal sealed class AuditTrailHarness : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "audit-tests-" + Guid.NewGuid().ToString("N"));

    public string LogPath => Path.Combine(Directory, "logs", "audit.jsonl");

    public AuditOptions Options(Action<AuditOptions>? configure = null)
    {
        var options = new AuditOptions { Path = LogPath, FlushToDisk = false };
        configure?.Invoke(options);
        return options;
    }

    public CapturingLoggerFactory Logs { get; } = new();

    public AuditTrail Create(AuditOptions options, GatewayMetrics? metrics = null, TimeProvider? time = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), Logs, metrics, httpClientFactory: null, time);

    public static async Task<string[]> ReadLinesAsync(string path) =>
        File.Exists(path) ? (await File.ReadAllTextAsync(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];

    public static string[] RequestIds(IEnumerable<string> lines) =>
        lines.Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("request_id").GetString()!;
        }).ToArray();

    /// <summary>Waits (generously) until the trail has disposed of every accepted entry.</summary>
    public static async Task WaitUntilIdleAsync(AuditTrail trail)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (trail.Counters.Pending > 0)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>A loopback URL on which nothing listens.</summary>
    public static Uri ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/audit");
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
