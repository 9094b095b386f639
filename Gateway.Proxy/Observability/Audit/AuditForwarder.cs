using System.Net.Http.Headers;

namespace Gateway.Proxy.Observability.Audit;

/// <summary>POSTs one batch as NDJSON to the audit service; any failure is reported, never thrown.</summary>
internal sealed class AuditForwarder(HttpClient client, Uri endpoint, TimeSpan timeout)
{
    private static readonly MediaTypeHeaderValue NdjsonContentType = new("application/x-ndjson");

    /// <returns>Null when the service accepted the batch (2xx), else why it did not.</returns>
    public async Task<string?> TryForwardAsync(ReadOnlyMemory<byte> ndjson, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var content = new ReadOnlyMemoryContent(ndjson);
        content.Headers.ContentType = NdjsonContentType;
        try
        {
            using var response = await client.PostAsync(endpoint, content, timeoutSource.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeout}";
        }
        catch (OperationCanceledException)
        {
            return "abandoned: the host's shutdown timeout was reached";
        }
        catch (HttpRequestException exception)
        {
            return exception.HttpRequestError + ": " + exception.Message;
        }
    }
}
