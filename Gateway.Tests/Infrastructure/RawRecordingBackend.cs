using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A plain TCP server on 127.0.0.1 that records the exact bytes each connection sends and answers every request head
/// it sees with a fixed HTTP/1.1 200 JSON response. No HTTP parser sits in front of the recording, so injected headers
/// and smuggled requests show up as they went over the wire.
/// </summary>
public sealed class RawRecordingBackend : IAsyncDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<MemoryStream> _connections = [];
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private readonly string _responseBody;

    private RawRecordingBackend(TcpListener listener, string responseBody)
    {
        _listener = listener;
        _responseBody = responseBody;
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Everything received so far, one entry per connection, decoded as Latin-1 (byte for byte).</summary>
    public IReadOnlyList<string> Connections
    {
        get
        {
            lock (_connections)
            {
                return _connections.Select(bytes => Encoding.Latin1.GetString(bytes.GetBuffer(), 0, (int)bytes.Length)).ToList();
            }
        }
    }

    /// <summary>All bytes received on all connections, concatenated.</summary>
    public string AllBytes => string.Concat(Connections);

    /// <summary>How many request lines ("METHOD target HTTP/1.1") arrived in total, smuggled ones included.</summary>
    public int RequestLineCount => Connections.Sum(CountRequestLines);

    public static RawRecordingBackend Start(string responseBody = "{\"ok\":true}")
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RawRecordingBackend(listener, responseBody);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        await Task.WhenAll(_handlers.Select(h => h.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private static int CountRequestLines(string raw)
    {
        var count = 0;
        foreach (var line in raw.Split("\r\n"))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[2].StartsWith("HTTP/", StringComparison.Ordinal) && parts[0].Length > 0 && parts[0].All(char.IsAsciiLetterUpper))
            {
                count++;
            }
        }

        return count;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _handlers.Add(HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var received = new MemoryStream();
        lock (_connections)
        {
            _connections.Add(received);
        }

        var buffer = new byte[8192];
        var answered = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(TimeSpan.FromSeconds(10));
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer, idle.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                int heads;
                lock (_connections)
                {
                    received.Write(buffer, 0, read);
                    heads = CountHeads(received.GetBuffer().AsSpan(0, (int)received.Length));
                }

                while (answered < heads)
                {
                    answered++;
                    var body = Encoding.UTF8.GetBytes(_responseBody);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int CountHeads(ReadOnlySpan<byte> data)
    {
        var count = 0;
        int index;
        while ((index = data.IndexOf(HeadEnd)) >= 0)
        {
            count++;
            data = data[(index + HeadEnd.Length)..];
        }

        return count;
    }
}
