using Gateway.Transforms.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Resilience;

/// <summary>The total time a call on a route may take: the route's own timeout, else the tool default, else none.</summary>
public sealed class RouteTimeouts
{
    private readonly TimeSpan? _defaultToolTimeout;

    public RouteTimeouts(IOptions<ResilienceOptions> options) => _defaultToolTimeout = options.Value.DefaultToolTimeout;

    public TimeSpan? For(RouteModel route)
    {
        var config = route.Config;
        if (ResilienceMetadata.TryParseTimeout(ResilienceMetadata.Get(config.Metadata, ResilienceMetadata.TimeoutKey), out var timeout))
        {
            return timeout;
        }

        if (config.Timeout is { } own)
        {
            return own;
        }

        // Tool results are buffered whole, so a total cap is natural; passthrough routes may stream and get none by default.
        return config.Metadata?.ContainsKey(RoutesDocumentParser.ToolMetadataKey) == true ? _defaultToolTimeout : null;
    }
}
