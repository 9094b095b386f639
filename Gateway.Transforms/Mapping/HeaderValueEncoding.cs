namespace Gateway.Transforms.Mapping;

/// <summary>How a tool route puts argument text into a header bound with <c>Headers</c> (transform key <c>HeaderEncoding</c>).</summary>
public enum HeaderValueEncoding
{
    /// <summary>Default: visible ASCII and inner spaces pass unchanged; anything else is an invalid argument.</summary>
    None,

    /// <summary>
    /// Opt-in: a value with non-ASCII text, a '%' or a leading/trailing space is sent percent-encoded as UTF-8 (RFC 3986),
    /// so the backend decodes every value of the header once. Control characters are still refused.
    /// </summary>
    Percent,
}
