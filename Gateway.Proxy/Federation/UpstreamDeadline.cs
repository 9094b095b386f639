namespace Gateway.Proxy.Federation;

/// <summary>The one deadline for all attempts of a request: the caller's cancellation plus the route timeout.</summary>
public sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _caller;

    public UpstreamDeadline(CancellationToken caller, TimeSpan? limit)
    {
        _caller = caller;
        _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
        if (limit is { } after)
        {
            _source.CancelAfter(after);
        }
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The caller went away (nothing to say about the upstream).</summary>
    public bool CallerGone => _caller.IsCancellationRequested;

    /// <summary>The route timeout expired, not the caller's patience.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    public void Dispose() => _source.Dispose();
}
