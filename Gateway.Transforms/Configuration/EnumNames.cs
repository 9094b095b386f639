namespace Gateway.Transforms.Configuration;

/// <summary>
/// Reads a configuration value into an enum by its member names only (case-insensitive). <c>Enum.TryParse</c> would
/// also take a number (<c>"1"</c>) or a comma-separated combination (<c>"Posix, Windows"</c>) and quietly turn it into
/// some member.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
