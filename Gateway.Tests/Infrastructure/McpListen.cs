using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A raw 2026-07-28 <c>subscriptions/listen</c> request held open on /mcp (the C# SDK client has no call for it): the
/// messages of its response stream are read as they come. Disposing it closes the request, as a client cancels.
/// </summary>
public sealed class McpListen : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _closed = new();
    private readonly Channel<JsonObject> _messages = Channel.CreateUnbounded<JsonObject>();
    private readonly Task _reading;
    private int _disposed;

    private McpListen(HttpResponseMessage response)
    {
        _response = response;
        _reading = ReadAsync();
    }

    /// <summary>The HTTP status of the answer.</summary>
    public int Status => (int)_response.StatusCode;

    /// <summary>Every message received so far, in order.</summary>
    public List<JsonObject> Received { get; } = [];

    /// <summary>Completes when the server ended the response stream.</summary>
    public Task Ended => _reading;

    /// <param name="notifications">The <c>notifications</c> object of the request, e.g. <c>{"toolsListChanged":true}</c>.</param>
    public static async Task<McpListen> OpenAsync(HttpClient http, Uri endpoint, string notifications, int id = 1, IDictionary<string, string>? headers = null)
    {
        var body = McpHttp.Request(id, "subscriptions/listen",
            """{"notifications":""" + notifications
            + ""","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"listen-test","version":"1"}}}""");
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>())
        {
            ["MCP-Protocol-Version"] = "2026-07-28",
            ["Mcp-Method"] = "subscriptions/listen",
        };
        var response = await http.SendAsync(McpHttp.Post(endpoint, body, headers: all), HttpCompletionOption.ResponseHeadersRead);
        return new McpListen(response);
    }

    /// <summary>The next message that <paramref name="matches"/>, skipping others (which stay in <see cref="Received"/>).</summary>
    public async Task<JsonObject> NextAsync(Func<JsonObject, bool> matches, TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            JsonObject message;
            try
            {
                message = await _messages.Reader.ReadAsync(wait.Token);
            }
            catch (ChannelClosedException)
            {
                throw new AssertionException($"the listen stream ended first; received: {string.Join(" | ", Received.Select(m => m.ToJsonString()))}");
            }
            catch (OperationCanceledException)
            {
                throw new AssertionException($"no matching message in time; received: {string.Join(" | ", Received.Select(m => m.ToJsonString()))}");
            }

            if (matches(message))
            {
                return message;
            }
        }
    }

    /// <summary>The next notification of <paramref name="method"/>.</summary>
    public Task<JsonObject> NextAsync(string method, TimeSpan? timeout = null) =>
        NextAsync(m => (string?)m["method"] == method, timeout);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _closed.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception)
        {
        }

        _closed.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            if (_response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                Add(JsonNode.Parse(await _response.Content.ReadAsStringAsync(_closed.Token))!.AsObject());
                return;
            }

            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_closed.Token));
            while (!_closed.IsCancellationRequested)
            {
                var (_, data) = await SseEvents.NextAsync(reader, _closed.Token);
                if (data.Length > 0 && JsonNode.Parse(data) is JsonObject message)
                {
                    Add(message);
                }
            }
        }
        catch (EndOfStreamException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    private void Add(JsonObject message)
    {
        lock (Received)
        {
            Received.Add(message);
        }

        _messages.Writer.TryWrite(message);
    }
}
