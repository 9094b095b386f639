using System.Text;
using Gateway.Proxy.Observability.Metrics;

namespace Gateway.Tests.Observability.Metrics;

public sealed class PrometheusTextWriterTests
{
    [Test]
    public void WriteFamilyHeader_EscapesBackslashAndNewlineInHelp()
    {
        var output = new StringBuilder();

        new PrometheusTextWriter(output).WriteFamilyHeader("jobs_total", PrometheusType.Counter, "Jobs \\ done\nin \"total\"");

        Assert.That(output.ToString(), Is.EqualTo("# HELP jobs_total Jobs \\\\ done\\nin \"total\"\n# TYPE jobs_total counter\n"));
    }

    [Test]
    public void AppendLabel_EscapesBackslashQuoteAndNewline()
    {
        var output = new StringBuilder();

        PrometheusTextWriter.AppendLabel(output, "path", "C:\\a \"b\"\nc");

        Assert.That(output.ToString(), Is.EqualTo("path=\"C:\\\\a \\\"b\\\"\\nc\""));
    }

    [TestCase(3.0, "3")]
    [TestCase(0.1, "0.1")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(1e21, "1E+21")]
    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NegativeInfinity, "-Inf")]
    [TestCase(double.NaN, "NaN")]
    public void WriteSample_FormatsValuesAsPrometheusFloats(double value, string expected)
    {
        var output = new StringBuilder();

        new PrometheusTextWriter(output).WriteSample("x", string.Empty, value);

        Assert.That(output.ToString(), Is.EqualTo($"x {expected}\n"));
    }

    [Test]
    public void WriteHistogram_RendersCumulativeBucketsWithInfSumAndCount()
    {
        var output = new StringBuilder();

        new PrometheusTextWriter(output).WriteHistogram("latency_seconds", "tool=\"echo\"", [0.1, 1], [2, 3, 1], 4.25, 6);

        Assert.That(output.ToString(), Is.EqualTo(
            "latency_seconds_bucket{tool=\"echo\",le=\"0.1\"} 2\n" +
            "latency_seconds_bucket{tool=\"echo\",le=\"1\"} 5\n" +
            "latency_seconds_bucket{tool=\"echo\",le=\"+Inf\"} 6\n" +
            "latency_seconds_sum{tool=\"echo\"} 4.25\n" +
            "latency_seconds_count{tool=\"echo\"} 6\n"));
    }

    [Test]
    public void WriteHistogram_WithoutLabels_WritesOnlyLe()
    {
        var output = new StringBuilder();

        new PrometheusTextWriter(output).WriteHistogram("size_bytes", string.Empty, [10], [0, 1], 12, 1);

        Assert.That(output.ToString(), Is.EqualTo(
            "size_bytes_bucket{le=\"10\"} 0\nsize_bytes_bucket{le=\"+Inf\"} 1\nsize_bytes_sum 12\nsize_bytes_count 1\n"));
    }
}
