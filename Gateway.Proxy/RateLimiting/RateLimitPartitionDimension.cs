namespace Gateway.Proxy.RateLimiting;

/// <summary>A property of a call that splits a policy's budget (values of <c>PartitionBy</c>).</summary>
public enum RateLimitPartitionDimension
{
    /// <summary>The caller: its subject (configured claim or API key subject), or its client IP when anonymous.</summary>
    Principal,

    /// <summary>The caller's tenant (configured claim or API key tenant).</summary>
    Tenant,

    /// <summary>The caller's tier (configured claim or API key tier).</summary>
    Tier,

    /// <summary>The tool name for tool calls, the route id for passthrough routes.</summary>
    Tool,
}
