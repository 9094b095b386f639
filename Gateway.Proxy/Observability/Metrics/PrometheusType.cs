namespace Gateway.Proxy.Observability.Metrics;

/// <summary>Prometheus metric family types this exporter emits.</summary>
public enum PrometheusType
{
    Counter,
    Gauge,
    Histogram,
}
