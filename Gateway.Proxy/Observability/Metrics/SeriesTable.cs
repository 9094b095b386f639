using System.Collections.Concurrent;

namespace Gateway.Proxy.Observability.Metrics;

/// <summary>
/// The series of one instrument keyed by filtered, sorted tags, capped at a maximum count.
/// Lookups of existing series allocate nothing; measurements for new label sets past the cap fold into
/// one overflow series and are counted.
/// </summary>
internal sealed class SeriesTable<TSeries>
    where TSeries : class
{
    private const int ScratchLength = 16;

    [ThreadStatic]
    private static KeyValuePair<string, object?>[]? t_scratch;

    private readonly ConcurrentDictionary<SeriesKey, TSeries> _series = new(SeriesKeyComparer.Instance);
    private readonly ConcurrentDictionary<SeriesKey, TSeries>.AlternateLookup<TagSpan> _lookup;
    private readonly Func<TSeries> _createSeries;
    private readonly TagKeyFilter _filter;
    private readonly int _maxSeries;
    private int _count;
    private TSeries? _overflow;
    private long _foldedMeasurements;

    public SeriesTable(Func<TSeries> createSeries, TagKeyFilter filter, int maxSeries)
    {
        _createSeries = createSeries;
        _filter = filter;
        _maxSeries = maxSeries;
        _lookup = _series.GetAlternateLookup<TagSpan>();
    }

    public long FoldedMeasurements => Interlocked.Read(ref _foldedMeasurements);

    public TSeries GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var scratch = t_scratch ??= new KeyValuePair<string, object?>[ScratchLength];
        if (tags.Length > scratch.Length)
        {
            scratch = t_scratch = new KeyValuePair<string, object?>[tags.Length];
        }

        var count = 0;
        foreach (var tag in tags)
        {
            if (_filter.Includes(tag.Key))
            {
                scratch[count++] = tag;
            }
        }

        var kept = scratch.AsSpan(0, count);
        SortByKey(kept);
        try
        {
            return _lookup.TryGetValue(new TagSpan(kept), out var series) ? series : AddSeries(kept);
        }
        finally
        {
            // Do not keep tag values alive after the measurement.
            kept.Clear();
        }
    }

    /// <summary>Forgets every series; observable instruments report their full state again at each scrape.</summary>
    public void Clear()
    {
        _series.Clear();
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _overflow, null);
    }

    public IEnumerable<KeyValuePair<SeriesKey, TSeries>> Snapshot()
    {
        foreach (var pair in _series)
        {
            yield return pair;
        }

        if (Volatile.Read(ref _overflow) is { } overflow)
        {
            yield return new(SeriesKey.Overflow, overflow);
        }
    }

    private TSeries AddSeries(ReadOnlySpan<KeyValuePair<string, object?>> sortedTags)
    {
        if (Interlocked.Increment(ref _count) > _maxSeries)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _foldedMeasurements);
            return Volatile.Read(ref _overflow)
                ?? Interlocked.CompareExchange(ref _overflow, _createSeries(), null)
                ?? _overflow!;
        }

        var created = _createSeries();
        var stored = _series.GetOrAdd(SeriesKey.Create(sortedTags), created);
        if (!ReferenceEquals(stored, created))
        {
            Interlocked.Decrement(ref _count);
        }

        return stored;
    }

    private static void SortByKey(Span<KeyValuePair<string, object?>> tags)
    {
        // Insertion sort: tag lists are short and usually already sorted.
        for (var i = 1; i < tags.Length; i++)
        {
            var current = tags[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(tags[j].Key, current.Key) > 0)
            {
                tags[j + 1] = tags[j];
                j--;
            }

            tags[j + 1] = current;
        }
    }
}
