using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Redis;

namespace Gateway.Tests.Redis;

/// <summary>
/// A raw TCP server on 127.0.0.1 that answers with whatever bytes a test scripts: only for faults a real server will not
/// produce (malformed, partial, slow or missing replies, disconnects mid-reply).
/// </summary>
internal sealed class FakeRespServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeRespConnection, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    private FakeRespServer(Func<FakeRespConnection, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public RedisConnectionOptions Options => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        CommandTimeout = TimeSpan.FromSeconds(2),
        PoolSize = 1,
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(1),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(1),
    };

    public static FakeRespServer Start(Func<FakeRespConnection, Task> handler) => new(handler);

    /// <summary>Answers every command on every connection with <paramref name="reply"/>.</summary>
    public static FakeRespServer Replying(Func<string[], string> reply) => new(connection => connection.ServeAsync(reply));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        try
        {
            await Task.WhenAll([_acceptLoop, .. sessions]).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var connection = new FakeRespConnection(client, Interlocked.Increment(ref _accepted), _stop.Token);
                lock (_sessions)
                {
                    _sessions.Add(RunAsync(connection));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task RunAsync(FakeRespConnection connection)
    {
        await using (connection)
        {
            try
            {
                await _handler(connection);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}

/// <summary>One accepted client connection of a <see cref="FakeRespServer"/>.</summary>
internal sealed class FakeRespConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _one = new byte[1];

    public FakeRespConnection(TcpClient client, int number, CancellationToken stopping)
    {
        _client = client;
        _stream = client.GetStream();
        Number = number;
        Stopping = stopping;
    }

    /// <summary>1 for the first connection the server accepted, 2 for the next, ...</summary>
    public int Number { get; }

    public CancellationToken Stopping { get; }

    /// <summary>Reads one RESP array command; null when the client closed the connection.</summary>
    public async Task<string[]?> ReadCommandAsync()
    {
        var header = await ReadLineAsync();
        if (header is null)
        {
            return null;
        }

        var parts = new string[int.Parse(header.AsSpan(1))];
        for (var i = 0; i < parts.Length; i++)
        {
            var length = int.Parse((await ReadLineAsync())!.AsSpan(1));
            var bytes = new byte[length + 2];
            await _stream.ReadExactlyAsync(bytes, Stopping);
            parts[i] = Encoding.UTF8.GetString(bytes, 0, length);
        }

        return parts;
    }

    public async Task ServeAsync(Func<string[], string> reply)
    {
        while (await ReadCommandAsync() is { } command)
        {
            await SendAsync(reply(command));
        }
    }

    public async Task SendAsync(string raw)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(raw), Stopping);
        await _stream.FlushAsync(Stopping);
    }

    public async Task SendSlowlyAsync(string raw, TimeSpan pause)
    {
        foreach (var b in Encoding.UTF8.GetBytes(raw))
        {
            _one[0] = b;
            await _stream.WriteAsync(_one, Stopping);
            await _stream.FlushAsync(Stopping);
            await Task.Delay(pause, Stopping);
        }
    }

    /// <summary>Keeps the connection open, reading and ignoring commands, until the server stops.</summary>
    public async Task IgnoreEverythingAsync()
    {
        while (await ReadCommandAsync() is not null)
        {
        }
    }

    public void Close() => _client.Close();

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (await _stream.ReadAsync(_one, Stopping) == 0)
            {
                return null;
            }

            if (_one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)_one[0]);
        }
    }
}
