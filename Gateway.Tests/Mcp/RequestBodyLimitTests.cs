using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Mcp;

/// <summary>
/// Gateway:Mcp:MaxRequestBodyBytes on /mcp, /messages and /tools/call: applied while reading, 413 with a JSON
/// error body, for declared lengths and for chunked bodies without Content-Length (the gateway stops reading).
/// </summary>
public sealed class RequestBodyLimitTests
{
    private const int Limit = 16 * 1024;
    private const long ChunkedBodyBytes = 8L * 1024 * 1024;

    private TestBackend _backend = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backend = await TestBackend.StartEchoAsync();
        _gateway = await TestGateway.StartAsync(
            new RoutesJson().Cluster("echo", _backend.Address).Tool("echo_tool", "echo", "POST /echo").ToString(),
            new Dictionary<string, string?> { ["Gateway:Mcp:MaxRequestBodyBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _http = new HttpClient { BaseAddress = _gateway.Address };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [TestCase("mcp")]
    [TestCase("messages")]
    [TestCase("tools/call")]
    public async Task DeclaredLengthOverTheLimit_Is413WithAJsonError(string endpoint)
    {
        await using var target = await TargetAsync(endpoint);
        var body = target.Prefix + new string('a', Limit) + target.Suffix;
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");

        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        AssertLimitError(endpoint, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [TestCase("mcp")]
    [TestCase("messages")]
    [TestCase("tools/call")]
    public async Task ChunkedBodyOverTheLimit_Is413BeforeTheRestIsSent(string endpoint)
    {
        await using var target = await TargetAsync(endpoint);

        var (status, body, sentWhenAnswered) = await PostChunkedAsync(target.Path, target.Prefix);

        Assert.That(status, Is.EqualTo(413), body);
        Assert.That(sentWhenAnswered, Is.LessThan(1024 * 1024), "the gateway answered only after reading far past the limit");
        AssertLimitError(endpoint, JsonNode.Parse(body)!);
    }

    [TestCase("mcp")]
    [TestCase("messages")]
    [TestCase("tools/call")]
    public async Task BodyJustUnderTheLimit_IsServed(string endpoint)
    {
        await using var target = await TargetAsync(endpoint);
        var filler = Limit - Encoding.UTF8.GetByteCount(target.Prefix + target.Suffix) - 1;
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Path)
        {
            Content = new StringContent(target.Prefix + new string('a', filler) + target.Suffix, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");

        using var response = await _http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(200).Or.EqualTo(202), await response.Content.ReadAsStringAsync());
    }

    private static void AssertLimitError(string endpoint, JsonNode error)
    {
        if (endpoint == "tools/call")
        {
            Assert.That((string?)error["error"], Is.EqualTo("LimitExceeded"));
            Assert.That((string?)error["message"], Does.Contain(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        else
        {
            Assert.That((string?)error["jsonrpc"], Is.EqualTo("2.0"));
            Assert.That((string?)error["error"]!["message"], Does.Contain("MaxRequestBodyBytes"));
        }
    }

    private async Task<Target> TargetAsync(string endpoint)
    {
        const string Arguments = """{"name":"echo_tool","arguments":{"query":" """;
        switch (endpoint)
        {
            case "tools/call":
                return new Target("/tools/call", """{"tool":"echo_tool","arguments":{"query":" """, "\"}}", null);
            case "mcp":
                return new Target("/mcp", """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":""" + Arguments, "\"}}}", null);
            default:
                var stream = await _http.GetAsync("sse", HttpCompletionOption.ResponseHeadersRead);
                var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
                using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
                {
                    var path = (await SseEvents.NextAsync(reader, timeout.Token)).Data;
                    return new Target(path, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":""" + Arguments, "\"}}}", stream);
                }
        }
    }

    /// <summary>Streams a chunked body (no Content-Length) until the gateway answers; returns how much had been sent by then.</summary>
    private async Task<(int Status, string Body, long SentWhenAnswered)> PostChunkedAsync(string path, string prefix)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_gateway.Address.Host, _gateway.Address.Port);
        var network = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {_gateway.Address.Authority}\r\nContent-Type: application/json\r\n"
            + "Accept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        await network.WriteAsync(Encoding.ASCII.GetBytes(head));

        var response = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await network.ReadAsync(buffer)) > 0)
                {
                    lock (response)
                    {
                        response.Write(buffer, 0, read);
                    }
                }
            }
            catch (IOException)
            {
            }
        });

        long sent = 0;
        var filler = Encoding.ASCII.GetBytes(new string('a', 8192));
        try
        {
            await WriteChunkAsync(network, Encoding.UTF8.GetBytes(prefix));
            while (sent < ChunkedBodyBytes && !HasAnswer(response))
            {
                await WriteChunkAsync(network, filler);
                sent += filler.Length;
                await Task.Delay(1);
            }

            if (!HasAnswer(response))
            {
                await network.WriteAsync(Encoding.ASCII.GetBytes("0\r\n\r\n"));
            }
        }
        catch (IOException)
        {
            // The gateway closed the connection after answering: exactly what should happen.
        }

        var sentWhenAnswered = sent;
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10)));
        client.Close();
        string text;
        lock (response)
        {
            text = Encoding.UTF8.GetString(response.ToArray());
        }

        var statusLine = text.Split("\r\n")[0];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var body = text[bodyStart..];
        if (text[..bodyStart].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return (status, body, sentWhenAnswered);
    }

    private static bool HasAnswer(MemoryStream response)
    {
        lock (response)
        {
            return response.Length > 0;
        }
    }

    private static async Task WriteChunkAsync(NetworkStream network, byte[] data)
    {
        await network.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
        await network.WriteAsync(data);
        await network.WriteAsync("\r\n"u8.ToArray());
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(chunked[position..lineEnd], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }

    private sealed record Target(string Path, string Prefix, string Suffix, HttpResponseMessage? Stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Stream?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
