using System.Text;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Gateway.Proxy.Observability;

/// <summary>
/// JSON log lines to standard output, formatted off the request path and written one batch at a time. Serilog's batching
/// (a bounded queue and one background loop) collects the events; a normal shutdown writes what is queued.
/// </summary>
internal sealed class BatchedConsoleSink : IBatchedLogEventSink
{
    public static readonly BatchingOptions Options = new()
    {
        BatchSizeLimit = 1000,
        BufferingTimeLimit = TimeSpan.FromMilliseconds(50),
        // Beyond this many waiting events (a console that stopped draining) new events are dropped, not buffered forever.
        QueueLimit = 100_000,
    };

    private readonly ITextFormatter _formatter;
    private readonly StringWriter _batch = new(new StringBuilder(16 * 1024), System.Globalization.CultureInfo.InvariantCulture);

    public BatchedConsoleSink(ITextFormatter formatter) => _formatter = formatter;

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        var buffer = _batch.GetStringBuilder();
        buffer.Clear();
        foreach (var logEvent in batch)
        {
            _formatter.Format(logEvent, _batch);
        }

        // Console.Out, not the raw stream: hosts and tests that redirect the console keep receiving the lines.
        var output = Console.Out;
        output.Write(buffer);
        output.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;
}
