using System.Text;
using System.Text.Json;
using Gateway.Proxy.Mcp;
using ModelContextProtocol;

namespace Gateway.Tests.Mcp;

/// <summary>The SDK's HTML-safe JSON, rewritten in flight, equals what the compact encoder writes, however the bytes are cut.</summary>
public sealed class CompactJsonEscapingStreamTests
{
    private static IEnumerable<TestCaseData> Texts()
    {
        yield return new TestCaseData("plain ascii").SetArgDisplayNames("ascii");
        yield return new TestCaseData("{\"q\":\"MATCH (s:Service) RETURN s.name\"}").SetArgDisplayNames("quotes");
        yield return new TestCaseData("<b> & 'c' + `d` é 日本 😀 \u2028\u2029 \u0001\u001f\u007f\u0085 \uFEFF \uE000").SetArgDisplayNames("html, non-ASCII, separators, controls");
        yield return new TestCaseData("\\u0022 is text, \\\\u0022 too, a lone \\u").SetArgDisplayNames("text that looks like escapes");
        yield return new TestCaseData("\ud800 lone surrogates \udc00").SetArgDisplayNames("lone surrogates");
    }

    [TestCaseSource(nameof(Texts))]
    public void RewrittenSdkOutput_EqualsCompactOutput(string text)
    {
        var sdk = JsonSerializer.SerializeToUtf8Bytes(new[] { text }, McpJsonUtilities.DefaultOptions);
        var compact = JsonSerializer.SerializeToUtf8Bytes(new[] { text }, CompactJson.Options);

        foreach (var cut in new[] { 1, 2, 3, 5, 7, sdk.Length })
        {
            using var output = new MemoryStream();
            var stream = new CompactJsonEscapingStream(output);
            for (var i = 0; i < sdk.Length; i += cut)
            {
                stream.Write(sdk, i, Math.Min(cut, sdk.Length - i));
            }

            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(Encoding.UTF8.GetString(compact)), $"written {cut} bytes at a time");
        }

        Assert.That(JsonSerializer.Deserialize<string[]>(compact)![0], Is.EqualTo(JsonSerializer.Deserialize<string[]>(sdk)![0]));
    }
}
