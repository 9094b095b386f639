namespace Gateway.Transforms.Pipeline;

/// <summary>
/// One policy step of the call pipeline that every call passes once, whatever its entry point: MCP <c>tools/call</c>,
/// the REST facade and REST passthrough routes. Steps run in <see cref="Order"/> before anything is forwarded.
/// </summary>
public interface IGatewayStep
{
    /// <summary>Lower runs first. Authorization 100, rate limiting 200, limits 250, schema 300, request binding 350.</summary>
    int Order { get; }

    ValueTask<StepResult> InvokeAsync(GatewayStepContext context);
}
