namespace Gateway.Proxy.Federation;

/// <summary>
/// The caller an upstream request is sent for. The SDK's client builds its HTTP requests itself and sends them on the
/// awaiting caller's flow, so the identity headers of the one call that is in flight travel in an async-local; requests
/// the session makes on its own (initialize, tools/list, the GET stream) carry none.
/// </summary>
internal static class UpstreamCaller
{
    private static readonly AsyncLocal<HttpContext?> s_current = new();

    public static HttpContext? Current => s_current.Value;

    public static Scope For(HttpContext caller)
    {
        var previous = s_current.Value;
        s_current.Value = caller;
        return new Scope(previous);
    }

    public readonly struct Scope(HttpContext? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
