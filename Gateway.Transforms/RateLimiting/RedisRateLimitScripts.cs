namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// One atomic script per algorithm. Both read the server clock (TIME), so replicas with skewed clocks agree, and both
/// PEXPIRE their key to the moment the partition is back to full quota, so idle partitions cost no memory.
/// Replies are {allowed (0/1), remaining, reset-at (epoch ms), retry-after (ms)}.
/// </summary>
internal static class RedisRateLimitScripts
{
    /// <summary>KEYS[1] = sorted set of permit times (ms); ARGV = limit, window ms, store id, sequence (together a unique member).</summary>
    public const string SlidingWindow = """
        if redis.replicate_commands then redis.replicate_commands() end
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        local allowed = 0
        if count < limit then
          redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window)
          count = count + 1
          allowed = 1
        end
        local reset = now
        local retry = 0
        if count > 0 then
          local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          reset = tonumber(newest[2]) + window
        end
        if allowed == 0 then
          local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          retry = tonumber(oldest[2]) + window - now
        end
        return {allowed, limit - count, reset, retry}
        """;

    /// <summary>
    /// KEYS[1] = hash {s = tokens x window, ts = last update ms}; ARGV = capacity, permits per window, window ms.
    /// Refill is PermitLimit units per ms and a token costs window units: integer arithmetic, exact in Lua doubles.
    /// </summary>
    public const string TokenBucket = """
        if redis.replicate_commands then redis.replicate_commands() end
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local window = tonumber(ARGV[3])
        local full = capacity * window
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 's', 'ts')
        local scaled = tonumber(state[1])
        local last = tonumber(state[2])
        if scaled == nil or last == nil then
          scaled = full
          last = now
        end
        if now > last then
          scaled = math.min(full, scaled + (now - last) * rate)
        end
        if scaled > full then scaled = full end
        local allowed = 0
        local retry = 0
        if scaled >= window then
          scaled = scaled - window
          allowed = 1
        else
          retry = math.ceil((window - scaled) / rate)
        end
        local untilFull = math.ceil((full - scaled) / rate)
        if untilFull > 0 then
          redis.call('HSET', KEYS[1], 's', string.format('%d', scaled), 'ts', string.format('%d', now))
          redis.call('PEXPIRE', KEYS[1], untilFull)
        else
          redis.call('DEL', KEYS[1])
        end
        return {allowed, math.floor(scaled / window), now + untilFull, retry}
        """;
}
