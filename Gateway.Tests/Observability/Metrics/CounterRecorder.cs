using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gateway.Tests.Observability.Metrics;

/// <summary>
/// Sums what one host's counters record, by listening to its meters like an exporter does; for tests of the code that
/// records, where a scrape over HTTP would need a running endpoint or a credential. Counts from the moment it starts.
/// </summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public CounterRecorder(IMeterFactory hostMeters, params string[] counterNames)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, hostMeters) && counterNames.Contains(instrument.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                _totals.AddOrUpdate(Key(instrument.Name, tag.Key, tag.Value?.ToString()), value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    /// <summary>The sum of the measurements of <paramref name="counter"/> that carried the tag <paramref name="tag"/>.</summary>
    public long Total(string counter, (string Key, string Value) tag) =>
        _totals.GetValueOrDefault(Key(counter, tag.Key, tag.Value));

    public void Dispose() => _listener.Dispose();

    private static string Key(string counter, string tagKey, string? tagValue) => counter + "\n" + tagKey + "\n" + tagValue;
}
