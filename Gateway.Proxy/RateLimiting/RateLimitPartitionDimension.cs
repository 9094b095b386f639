namespace Gateway.Proxy.RateLimiting;

/// <summary>A property of a call that splits a policy's budget (values of <c>PartitionBy</c>).</summary>
public enum RateLimitPartitionDimension
{
    /// <summary>The caller: its <c>sub</c> claim, or its client IP when anonymous.</summary>
    Principal,

    /// <summary>The <c>tenant</c> claim.</summary>
    Tenant,

    /// <summary>The <c>tier</c> claim.</summary>
    Tier,

    /// <summary>The tool name for tool calls, the route id for passthrough routes.</summary>
    Tool,
}
