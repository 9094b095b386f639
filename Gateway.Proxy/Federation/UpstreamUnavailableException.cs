namespace Gateway.Proxy.Federation;

/// <summary>The gateway could not reach an upstream (no cluster, no available destination, no credential); no request was sent.</summary>
public sealed class UpstreamUnavailableException(string message) : HttpRequestException(message);
