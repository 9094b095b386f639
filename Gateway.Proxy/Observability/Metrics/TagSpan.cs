namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Filtered, key-sorted tags of one measurement; looks up a <see cref="SeriesKey"/> without allocating.</summary>
internal readonly ref struct TagSpan(ReadOnlySpan<KeyValuePair<string, object?>> tags)
{
    public ReadOnlySpan<KeyValuePair<string, object?>> Tags { get; } = tags;
}
