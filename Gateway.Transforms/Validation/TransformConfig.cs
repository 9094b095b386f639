namespace Gateway.Transforms.Validation;

/// <summary>Reads typed values from a transform's string dictionary, reporting problems with the route and key.</summary>
internal static class TransformConfig
{
    public static void RejectUnknownKeys(IReadOnlyDictionary<string, string> values, IReadOnlyCollection<string> known, string transform, List<string> errors)
    {
        foreach (var key in values.Keys)
        {
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"unknown key '{key}' in the {transform} transform; allowed keys: {string.Join(", ", known)}");
            }
        }
    }

    public static string[] List(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text)
            ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

    public static bool Bool(IReadOnlyDictionary<string, string> values, string key, bool fallback, List<string> errors)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"'{key}' must be true or false, got '{text}'");
        return fallback;
    }

    public static int Int(IReadOnlyDictionary<string, string> values, string key, int fallback, int min, int max, List<string> errors)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"'{key}' must be an integer from {min} to {max}, got '{text}'");
        return fallback;
    }
}
