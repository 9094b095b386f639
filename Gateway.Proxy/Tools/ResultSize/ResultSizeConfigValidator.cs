using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Configuration.RouteValidators;

namespace Gateway.Proxy.Tools.ResultSize;

/// <summary>A YARP route validator: a route's <c>Gateway.MaxResultBytes</c> must be a byte count in range, at load and reload.</summary>
public sealed class ResultSizeConfigValidator : IRouteValidator
{
    public ValueTask ValidateAsync(RouteConfig route, IList<Exception> errors)
    {
        if (route.Metadata is not null && route.Metadata.TryGetValue(ResultSizeMetadata.MaxResultBytesKey, out var text)
            && !ResultSizeMetadata.TryParse(text, out _))
        {
            errors.Add(new ArgumentException(
                $"Route '{route.RouteId}': metadata '{ResultSizeMetadata.MaxResultBytesKey}' is '{text}'; use a whole number of bytes " +
                $"from 1 to {ResultSizeMetadata.MaxAllowed}, e.g. \"4194304\" for 4 MiB."));
        }

        return default;
    }
}
