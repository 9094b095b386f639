using System.Diagnostics;

namespace Gateway.Proxy.Observability;

/// <summary>
/// Makes ASP.NET Core create a request Activity even without a tracing exporter, so W3C <c>traceparent</c> is always
/// propagated to backends (YARP's HttpClient adds it from <see cref="Activity.Current"/>) and logs carry a trace id.
/// </summary>
public sealed class TraceContextListener : IHostedService, IDisposable
{
    private ActivityListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http" or "Yarp.ReverseProxy",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener?.Dispose();
}
