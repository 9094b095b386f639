namespace Gateway.Proxy.Federation.Resources;

/// <summary>
/// A subscriber of <see cref="ResourceSubscriptions"/> that is not a stateful session: a <c>subscriptions/listen</c>
/// request, which hears its resources' updates on its own response stream.
/// </summary>
public interface IResourceUpdateListener
{
    /// <summary>
    /// Unique among subscribers, and never a session id: the SDK's session ids are base64url, so an id containing
    /// <c>:</c> cannot be one.
    /// </summary>
    string SubscriberId { get; }

    /// <summary>The upstream changed the resource; <paramref name="uri"/> is the form the listener asked for. Must not block.</summary>
    void OnResourceUpdated(string uri);
}
