using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.Redis;

namespace Gateway.Tests.Redis;

/// <summary>Faults a real server will not produce, staged with <see cref="FakeRespServer"/>.</summary>
public sealed class RedisClientFaultTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [TestCase("?what\r\n", TestName = "MalformedReply_BadTypeByte_FailsCommandAndReplacesConnection")]
    [TestCase("$ab\r\nxx\r\n", TestName = "MalformedReply_NonDigitLength_FailsCommandAndReplacesConnection")]
    [TestCase("+OK\n", TestName = "MalformedReply_MissingCarriageReturn_FailsCommandAndReplacesConnection")]
    [TestCase("$2\r\nokXX", TestName = "MalformedReply_BulkWithoutCrlf_FailsCommandAndReplacesConnection")]
    [TestCase("$-7\r\n", TestName = "MalformedReply_NegativeLength_FailsCommandAndReplacesConnection")]
    [TestCase("$2000000000\r\n", TestName = "MalformedReply_OversizedBulk_FailsCommandAndReplacesConnection")]
    public async Task MalformedReply_FailsTheCommandAndTheNextCommandUsesANewConnection(string malformed)
    {
        await using var server = FakeRespServer.Start(async connection =>
        {
            await connection.ReadCommandAsync();
            if (connection.Number == 1)
            {
                await connection.SendAsync(malformed);
                await connection.IgnoreEverythingAsync();
            }
            else
            {
                await connection.SendAsync("+PONG\r\n");
                await connection.IgnoreEverythingAsync();
            }
        });
        await using var client = new RedisClient(server.Options);

        var failure = await Assert.ThrowsAsync<RedisProtocolException>(async () => await client.PingAsync().AsTask().WaitAsync(Generous));
        var connectedAfterFailure = client.IsConnected;
        await client.PingAsync().AsTask().WaitAsync(Generous);

        Assert.That(failure!.Message, Does.Contain("Malformed RESP2 reply"));
        Assert.That(connectedAfterFailure, Is.False, "a connection that spoke garbage is never reused");
        Assert.That(server.AcceptedConnections, Is.EqualTo(2));
    }

    [Test]
    public async Task EndlessLineWithoutCrlf_FailsInsteadOfBufferingForever()
    {
        await using var server = FakeRespServer.Start(async connection =>
        {
            await connection.ReadCommandAsync();
            await connection.SendAsync("+" + new string('a', 200_000));
            await connection.IgnoreEverythingAsync();
        });
        await using var client = new RedisClient(server.Options);

        var failure = await Assert.ThrowsAsync<RedisProtocolException>(async () => await client.PingAsync().AsTask().WaitAsync(Generous));

        Assert.That(failure!.Message, Does.Contain("without CRLF"));
    }

    [Test]
    public async Task ServerThatNeverAnswers_CommandTimesOutPromptlyThenTheConnectionIsDropped()
    {
        await using var server = FakeRespServer.Start(connection => connection.IgnoreEverythingAsync());
        await using var client = new RedisClient(server.Options with
        {
            CommandTimeout = TimeSpan.FromMilliseconds(100),
            StalledConnectionTimeout = TimeSpan.FromMilliseconds(300),
        });
        await client.ConnectAsync();

        var elapsed = Stopwatch.StartNew();
        var timeout = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.PingAsync().AsTask().WaitAsync(Generous));
        elapsed.Stop();
        var dropped = await EventuallyAsync(() => !client.IsConnected);

        Assert.That(timeout!.Message, Does.Contain("did not answer"));
        Assert.That(elapsed.Elapsed, Is.LessThan(Generous));
        Assert.That(dropped, Is.True, "a connection whose oldest reply is stalled is torn down");
    }

    [Test]
    public async Task LateReplyAfterTimeout_IsDiscardedAndLaterRepliesStillMatch()
    {
        await using var server = FakeRespServer.Start(async connection =>
        {
            var first = await connection.ReadCommandAsync();
            var second = await connection.ReadCommandAsync();
            await connection.SendAsync($"${first![1].Length}\r\n{first[1]}\r\n${second![1].Length}\r\n{second[1]}\r\n");
            await connection.IgnoreEverythingAsync();
        });
        await using var client = new RedisClient(server.Options with
        {
            CommandTimeout = TimeSpan.FromSeconds(1),
            StalledConnectionTimeout = TimeSpan.FromSeconds(30),
        });
        await client.ConnectAsync();

        await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.ExecuteAsync("ECHO", new RedisArg[] { "first" }));
        using var patient = new CancellationTokenSource(Generous);
        var second = client.ExecuteAsync("ECHO", new RedisArg[] { "second" }, patient.Token);

        Assert.That((await second).AsString(), Is.EqualTo("second"));
        Assert.That(server.AcceptedConnections, Is.EqualTo(1));
    }

    [Test]
    public async Task DisconnectInTheMiddleOfAReply_FailsTheCommandWithConnectionError()
    {
        await using var server = FakeRespServer.Start(async connection =>
        {
            await connection.ReadCommandAsync();
            await connection.SendAsync("$10\r\nabc");
            connection.Close();
        });
        await using var client = new RedisClient(server.Options);

        var failure = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.PingAsync().AsTask().WaitAsync(Generous));

        Assert.That(failure!.Message, Does.Contain("middle of a reply"));
    }

    [Test]
    public async Task ReplyTrickledOneByteAtATime_IsAssembledCorrectly()
    {
        await using var server = FakeRespServer.Start(async connection =>
        {
            await connection.ReadCommandAsync();
            await connection.SendSlowlyAsync("*2\r\n$5\r\nhello\r\n:-12\r\n", TimeSpan.FromMilliseconds(2));
            await connection.IgnoreEverythingAsync();
        });
        await using var client = new RedisClient(server.Options);

        var reply = await client.ExecuteAsync("ANY", default).AsTask().WaitAsync(Generous);

        Assert.That(reply[0].AsString(), Is.EqualTo("hello"));
        Assert.That(reply[1].AsInt64(), Is.EqualTo(-12));
    }

    [Test]
    public async Task CancellationToken_CancelsAWaitingCommand()
    {
        await using var server = FakeRespServer.Start(connection => connection.IgnoreEverythingAsync());
        await using var client = new RedisClient(server.Options with { CommandTimeout = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.That(
            async () => await client.PingAsync(cancel.Token).AsTask().WaitAsync(Generous),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task DeadServer_FailsFastAndBacksOffInsteadOfReconnectingOnEveryCall()
    {
        var options = new RedisConnectionOptions
        {
            Host = "127.0.0.1",
            Port = UnusedPort(),
            ReconnectBaseDelay = TimeSpan.FromSeconds(20),
            ReconnectMaxDelay = TimeSpan.FromSeconds(20),
            CommandTimeout = TimeSpan.FromSeconds(5),
        };
        await using var client = new RedisClient(options);

        var failures = new List<Exception>();
        for (var i = 0; i < 50; i++)
        {
            failures.Add((await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.PingAsync().AsTask().WaitAsync(Generous)))!);
        }

        Assert.That(client.ConnectAttempts, Is.EqualTo(1), "refused connects back off");
        Assert.That(failures[0].Message, Does.Contain("ConnectionRefused"));
        Assert.That(failures[^1].Message, Does.Contain("next reconnect attempt"));
    }

    [Test]
    public async Task ConnectThatHangs_FailsWithinTheCommandBudget()
    {
        // Accepts TCP but never answers the TLS handshake.
        await using var server = FakeRespServer.Start(connection => Task.Delay(Timeout.Infinite, connection.Stopping));
        await using var client = new RedisClient(server.Options with
        {
            UseTls = true,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            CommandTimeout = TimeSpan.FromMilliseconds(200),
        });

        var failure = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.PingAsync().AsTask().WaitAsync(Generous));

        Assert.That(failure!.Message, Does.Contain("became ready"));
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Generous)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
