namespace Gateway.Proxy.Security.Forwarding;

/// <summary>Identity values become header values: visible ASCII passes unchanged, anything else is percent-encoded (UTF-8).</summary>
internal static class HeaderValue
{
    public static string Encode(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' || c == '%')
            {
                return Uri.EscapeDataString(value);
            }
        }

        return value;
    }
}
