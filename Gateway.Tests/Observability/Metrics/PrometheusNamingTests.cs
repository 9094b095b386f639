using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Tests.Observability.Metrics;

public sealed class PrometheusNamingTests
{
    [TestCase("http.server.request.duration", "s", PrometheusType.Histogram, "http_server_request_duration_seconds")]
    [TestCase("mcp_request_duration_seconds", "s", PrometheusType.Histogram, "mcp_request_duration_seconds")]
    [TestCase("mcp_requests_total", null, PrometheusType.Counter, "mcp_requests_total")]
    [TestCase("requests", null, PrometheusType.Counter, "requests_total")]
    [TestCase("dotnet.gc.heap.total_allocated", "By", PrometheusType.Counter, "dotnet_gc_heap_total_allocated_bytes_total")]
    [TestCase("payload_total", "By", PrometheusType.Counter, "payload_bytes_total")]
    [TestCase("kestrel.active_connections", "{connection}", PrometheusType.Gauge, "kestrel_active_connections")]
    [TestCase("cpu.utilization", "1", PrometheusType.Gauge, "cpu_utilization")]
    [TestCase("network.io", "By/s", PrometheusType.Gauge, "network_io_bytes_per_second")]
    [TestCase("9lives", null, PrometheusType.Gauge, "_9lives")]
    [TestCase("a..b-c/d", null, PrometheusType.Gauge, "a_b_c_d")]
    [TestCase("queue.time", "ms", PrometheusType.Histogram, "queue_time_milliseconds")]
    [TestCase("last_seconds_value", "s", PrometheusType.Gauge, "last_seconds_value_seconds")]
    [TestCase("dotnet.timer.count", "{timer}", PrometheusType.Gauge, "dotnet_timer_count_value")]
    [TestCase("queue.sum", null, PrometheusType.Gauge, "queue_sum_value")]
    [TestCase("retry.count", null, PrometheusType.Counter, "retry_count_total")]
    public void MetricName_MapsInstrumentNameAndUnit(string instrument, string? unit, PrometheusType type, string expected)
    {
        Assert.That(PrometheusNaming.MetricName(instrument, unit, type), Is.EqualTo(expected));
    }

    [TestCase("http.response.status_code", "http_response_status_code")]
    [TestCase("tool", "tool")]
    [TestCase("__name__", "_name_")]
    [TestCase("1st", "_1st")]
    public void LabelName_IsSanitized(string tagKey, string expected)
    {
        Assert.That(PrometheusNaming.LabelName(tagKey), Is.EqualTo(expected));
    }
}
