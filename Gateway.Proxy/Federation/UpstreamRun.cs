using Gateway.Transforms.Pipeline;

namespace Gateway.Proxy.Federation;

/// <summary>How a request fared with its cluster's protections; when <see cref="Completed"/>, the attempt holds the answer.</summary>
public readonly record struct UpstreamRun(bool Completed, GatewayRejection? Refusal, bool TimedOut)
{
    public static readonly UpstreamRun Done = new(true, null, false);

    public static readonly UpstreamRun Timeout = new(false, null, true);

    public static UpstreamRun Refused(GatewayRejection rejection) => new(false, rejection, false);
}
