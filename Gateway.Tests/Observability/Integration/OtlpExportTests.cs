using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Observability.Integration;

/// <summary>OTLP/HTTP export of metrics and traces to a real receiver on 127.0.0.1, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
[CancelAfter(60_000)]
public sealed class OtlpExportTests
{
    [Test]
    public async Task EndpointSet_ToolCall_ReachesTheReceiverAsMetricsAndTraces()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var echo = await TestBackend.StartEchoAsync();
        await using var gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("echo", echo.Address).Tool("echo_tool", "echo", "POST /echo").ToString(),
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            });
        using var http = new HttpClient { BaseAddress = gateway.Address };

        using var call = await http.PostAsJsonAsync("tools/call", new { tool = "echo_tool", arguments = new { text = "hi" } });
        Assert.That(call.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var result = await call.Content.ReadFromJsonAsync<JsonObject>();
        var forwarded = JsonNode.Parse((string)result!["content"]![0]!["text"]!)!;
        var traceparent = (string)forwarded["headers"]!["traceparent"]!;
        var traceId = Convert.FromHexString(traceparent.Split('-')[1]);

        // The protobuf carries metric names as UTF-8 strings and trace ids as their 16 raw bytes.
        var metricName = Encoding.UTF8.GetBytes("mcp_tool_calls_total");
        Assert.That(await receiver.WaitForAsync("/v1/metrics", body => body.AsSpan().IndexOf(metricName) >= 0), Is.True,
            "no metrics export named mcp_tool_calls_total");
        Assert.That(await receiver.WaitForAsync("/v1/traces", body => body.AsSpan().IndexOf(traceId) >= 0), Is.True,
            $"no traces export with the tool call's trace id {traceparent}");
    }

    [Test]
    public async Task EndpointUnset_NoTracerProviderIsBuilt()
    {
        await using var gateway = await TestGateway.StartAsync(new RoutesJson().ToString());

        Assert.That(gateway.Services.GetService<TracerProvider>(), Is.Null);
    }

    /// <summary>Accepts OTLP/HTTP protobuf exports and keeps each body by path.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

        private OtlpReceiver(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            OtlpReceiver? receiver = null;
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                receiver!._exports.Enqueue((context.Request.Path.Value!, body.ToArray()));
                // An empty protobuf message is a complete Export*ServiceResponse: everything accepted.
                context.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            receiver = new OtlpReceiver(app, new Uri(address));
            return receiver;
        }

        public async Task<bool> WaitForAsync(string path, Func<byte[], bool> match)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                if (_exports.Any(export => export.Path == path && match(export.Body)))
                {
                    return true;
                }

                await Task.Delay(100);
            }

            return false;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
