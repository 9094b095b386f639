namespace Gateway.Redis.Connections;

/// <summary>Capped exponential backoff with "equal jitter", so replicas that lost the same server do not reconnect in lockstep.</summary>
internal static class ReconnectBackoff
{
    public static TimeSpan Delay(int consecutiveFailures, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + (Random.Shared.NextDouble() * half));
    }
}
