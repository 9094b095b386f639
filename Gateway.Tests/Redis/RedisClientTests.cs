using System.Text;
using Gateway.Redis;
using Gateway.Redis.Scripting;

namespace Gateway.Tests.Redis;

[TestFixture(RedisServerKind.Garnet)]
[TestFixture(RedisServerKind.Redis)]
public sealed class RedisClientTests(RedisServerKind kind)
{
    private RedisServerFixture _server = null!;
    private RedisClient _client = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await RedisServerFixture.StartAsync(kind);

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateClient() => _client = _server.CreateClient();

    [TearDown]
    public async Task DisposeClient() => await _client.DisposeAsync();

    [Test]
    public async Task PingAsync_LiveServer_ConnectsAndMeasuresRoundTrip()
    {
        var roundTrip = await _client.PingAsync();

        Assert.That(roundTrip, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(_client.IsConnected, Is.True);
    }

    [Test]
    public async Task ExecuteAsync_SetThenGet_RoundTripsUtf8AndBinaryValues()
    {
        var key = Key();
        byte[] binary = [0, 13, 10, 255];

        await _client.ExecuteAsync("SET", new RedisArg[] { key + ":text", "h\u00e9llo \u2603" });
        await _client.ExecuteAsync("SET", new RedisArg[] { key + ":bin", binary });
        var text = await _client.ExecuteAsync("GET", new RedisArg[] { key + ":text" });
        var bytes = await _client.ExecuteAsync("GET", new RedisArg[] { key + ":bin" });
        var missing = await _client.ExecuteAsync("GET", new RedisArg[] { key + ":none" });

        Assert.That(text.AsString(), Is.EqualTo("h\u00e9llo \u2603"));
        Assert.That(bytes.AsBytes().ToArray(), Is.EqualTo(binary));
        Assert.That(missing.IsNull, Is.True);
    }

    [Test]
    public async Task TimeAsync_ReturnsTheServerClock()
    {
        var serverTime = await _client.TimeAsync();

        Assert.That(serverTime, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task ExecuteAsync_ErrorReply_ThrowsServerExceptionAndKeepsTheConnection()
    {
        await using var client = _server.CreateClient(o => o with { PoolSize = 1 });
        var key = Key();
        await client.ExecuteAsync("SET", new RedisArg[] { key, "v" });

        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.ExecuteAsync("LPUSH", new RedisArg[] { key, "x" }));
        var afterwards = await client.ExecuteAsync("GET", new RedisArg[] { key });

        Assert.That(error!.Prefix, Is.EqualTo("WRONGTYPE"));
        Assert.That(afterwards.AsString(), Is.EqualTo("v"));
        Assert.That(client.ConnectAttempts, Is.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_DatabaseInUrl_IsSelectedOnEveryConnection()
    {
        var key = Key();
        await using var db2 = _server.CreateClient(o => o with { Database = 2 });
        await db2.ExecuteAsync("SET", new RedisArg[] { key, "in-db-2" });

        var fromDb0 = await _client.ExecuteAsync("GET", new RedisArg[] { key });
        var fromDb2 = await db2.ExecuteAsync("GET", new RedisArg[] { key });

        Assert.That(fromDb0.IsNull, Is.True);
        Assert.That(fromDb2.AsString(), Is.EqualTo("in-db-2"));
    }

    [Test]
    public async Task ScriptLoadAsync_ReturnsTheSha1ThatEvalShaRuns()
    {
        var script = new RedisScript("return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1}");

        var sha = await _client.ScriptLoadAsync(script.Source);
        var result = await _client.EvalShaAsync(sha, new[] { "k" }, new RedisArg[] { "a", 41 });

        Assert.That(sha, Is.EqualTo(script.Sha1));
        Assert.That(result[0].AsString(), Is.EqualTo("k"));
        Assert.That(result[1].AsString(), Is.EqualTo("a"));
        Assert.That(result[2].AsInt64(), Is.EqualTo(42));
    }

    [Test]
    public async Task EvalShaAsync_AfterScriptFlush_ThrowsNoScriptAndRedisScriptRecovers()
    {
        var script = new RedisScript($"return '{Key()}'");
        await _client.ScriptLoadAsync(script.Source);
        await _client.ExecuteAsync("SCRIPT", new RedisArg[] { "FLUSH" });

        var noScript = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.EvalShaAsync(script.Sha1, default, default));
        var recovered = await script.EvaluateAsync(_client, default, default);
        var cachedAgain = await _client.EvalShaAsync(script.Sha1, default, default);

        Assert.That(noScript!.IsNoScript, Is.True, noScript.Message);
        Assert.That(recovered.AsString(), Is.EqualTo(cachedAgain.AsString()));
    }

    [Test]
    public async Task EvalAsync_ScriptUsingServerTime_Runs()
    {
        var result = await _client.EvalAsync("local t = redis.call('TIME') return tonumber(t[1])", default, default);

        Assert.That(result.AsInt64(), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(60));
    }

    [Test]
    public async Task ExecuteAsync_ThousandsOfConcurrentCommands_EachGetsItsOwnReply()
    {
        const int count = 2000;
        var key = Key();
        var echoes = new Task<RedisValue>[count];
        var increments = new Task<RedisValue>[count];

        for (var i = 0; i < count; i++)
        {
            echoes[i] = _client.ExecuteAsync("ECHO", new RedisArg[] { $"value-{i}" }).AsTask();
            increments[i] = _client.ExecuteAsync("INCR", new RedisArg[] { key }).AsTask();
        }

        var replies = await Task.WhenAll(echoes).WaitAsync(TimeSpan.FromSeconds(30));
        var counters = await Task.WhenAll(increments).WaitAsync(TimeSpan.FromSeconds(30));

        for (var i = 0; i < count; i++)
        {
            Assert.That(replies[i].AsString(), Is.EqualTo($"value-{i}"));
        }

        Assert.That(counters.Select(c => c.AsInt64()).Order(), Is.EqualTo(Enumerable.Range(1, count).Select(i => (long)i)));
    }

    [Test]
    public async Task ConnectAsync_OpensEveryPooledConnectionUpFront()
    {
        await using var client = _server.CreateClient(o => o with { PoolSize = 3 });

        await client.ConnectAsync();

        Assert.That(client.IsConnected, Is.True);
        Assert.That(client.ConnectAttempts, Is.EqualTo(3));
    }

    [Test]
    public async Task ExecuteAsync_PoolFillsUpBehindTheFirstLiveConnection()
    {
        await using var client = _server.CreateClient(o => o with { PoolSize = 3 });
        var waited = System.Diagnostics.Stopwatch.StartNew();

        while (client.ConnectAttempts < 3 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await client.PingAsync();
        }

        Assert.That(client.ConnectAttempts, Is.EqualTo(3), "every pooled connection opens once, lazily");
    }

    private static string Key() => $"test:{Guid.NewGuid():N}";
}
