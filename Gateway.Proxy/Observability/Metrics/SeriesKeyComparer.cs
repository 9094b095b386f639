namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Lets the series dictionary be probed with a measurement's tag span instead of an allocated key.</summary>
internal sealed class SeriesKeyComparer : IEqualityComparer<SeriesKey>, IAlternateEqualityComparer<TagSpan, SeriesKey>
{
    public static SeriesKeyComparer Instance { get; } = new();

    public bool Equals(SeriesKey? x, SeriesKey? y) => x is null ? y is null : y is not null && x.Matches(y);

    public int GetHashCode(SeriesKey obj) => obj.GetHashCode();

    public bool Equals(TagSpan alternate, SeriesKey other) => other.Matches(alternate.Tags);

    public int GetHashCode(TagSpan alternate) => SeriesKey.ComputeHash(alternate.Tags);

    public SeriesKey Create(TagSpan alternate) => SeriesKey.Create(alternate.Tags);
}
