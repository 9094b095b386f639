using System.Globalization;

namespace Gateway.Proxy.Security.Keys;

/// <summary>Parses <c>--expires</c>: a lifetime (<c>90d</c>, <c>12h</c>, <c>30m</c>), a UTC date or date-time, or <c>never</c>.</summary>
internal static class KeyExpiry
{
    public static bool TryParse(string value, DateTimeOffset now, out DateTimeOffset? expires)
    {
        expires = null;
        if (value.Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Length >= 2 && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? lifetime = value[^1] switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (lifetime is { } span && span <= TimeSpan.FromDays(3650))
            {
                expires = now + span;
                return true;
            }
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) && at > now)
        {
            expires = at;
            return true;
        }

        return false;
    }
}
