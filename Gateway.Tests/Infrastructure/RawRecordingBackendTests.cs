using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

public sealed class RawRecordingBackendTests
{
    [Test]
    public async Task Recording_TwoPipelinedRequestsOnOneConnection_RecordsBothRequestLinesAndAnswersBoth()
    {
        await using var backend = RawRecordingBackend.Start("{\"ok\":1}");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", backend.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (CountOccurrences(answer.ToString(), "HTTP/1.1 200 OK") < 2)
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.That(read, Is.GreaterThan(0), "the recording backend closed before answering both requests");
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.Multiple(() =>
        {
            Assert.That(backend.RequestLineCount, Is.EqualTo(2));
            Assert.That(backend.AllBytes, Does.Contain("GET /b HTTP/1.1\r\n"));
        });
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
