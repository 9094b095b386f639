namespace Gateway.Transforms.Pipeline;

/// <summary>
/// One step of the proxy pipeline that every proxied call passes through: MCP <c>tools/call</c>, the REST facade
/// and REST passthrough routes. Steps run in <see cref="Order"/> before load balancing and forwarding.
/// </summary>
public interface IGatewayStep
{
    /// <summary>Lower runs first. Authorization 100, rate limiting 200, argument checks 300.</summary>
    int Order { get; }

    /// <summary>Returns a rejection to stop the call, or null to continue.</summary>
    ValueTask<GatewayRejection?> InvokeAsync(GatewayStepContext context);
}
