namespace Gateway.Proxy.Observability;

/// <summary>The <c>X-Request-ID</c> rules: an incoming id is kept only if it is well-formed, otherwise a UUIDv4 replaces it.</summary>
public static class RequestIds
{
    public const string HeaderName = "X-Request-ID";
    public const int MaxLength = 128;

    /// <summary>1-128 characters from [A-Za-z0-9._:-]: enough for UUIDs, ULIDs and trace-style ids, nothing that can inject into logs or headers.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    public static string NewId() => Guid.NewGuid().ToString("D");
}
