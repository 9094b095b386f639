namespace Gateway.Proxy.Pipeline;

/// <summary>Puts the headers a call's steps decided on (<c>GatewayCall.ResponseHeaders</c>) on the caller's response.</summary>
public static class CallResponseHeaders
{
    /// <summary>Sets them just before a proxied response starts, over any the backend sent (YARP appends those).</summary>
    public static void ApplyOnStarting(HttpResponse response, IReadOnlyList<KeyValuePair<string, string>> headers) =>
        response.OnStarting(static state =>
        {
            var (target, values) = ((HttpResponse, IReadOnlyList<KeyValuePair<string, string>>))state;
            Apply(target, values);
            return Task.CompletedTask;
        }, (response, headers));

    public static void Apply(HttpResponse response, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        if (response.HasStarted)
        {
            return;
        }

        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }
    }
}
