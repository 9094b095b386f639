namespace Gateway.Proxy.Observability.Metrics;

/// <summary>How a <see cref="ScalarStream"/> combines measurements.</summary>
internal enum ScalarAggregation
{
    MonotonicSum,
    Sum,
    LastValue,
}
