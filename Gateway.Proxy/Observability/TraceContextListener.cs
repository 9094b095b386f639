using System.Diagnostics;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Makes ASP.NET Core create a request Activity even without a tracing exporter, so W3C <c>traceparent</c> is always
/// propagated to backends (HttpClient injects it from <see cref="Activity.Current"/>) and logs carry a trace id.
/// Only the hosting source is sampled: also sampling HttpClient's and YARP's sources created two more activities per
/// forwarded call and cost about 0.5 ms p50 at one connection in the benchmark.
/// </summary>
public sealed class TraceContextListener : IHostedService, IDisposable
{
    private ActivityListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener?.Dispose();
}
