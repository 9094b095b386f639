namespace Gateway.Proxy.Requests;

/// <summary>Why a caller's JSON body could not be used.</summary>
public enum JsonRequestFailure
{
    None,

    /// <summary>The body is larger than the entry point's limit (answer 413).</summary>
    TooLarge,

    /// <summary>The body ended early or its framing was broken (e.g. a bad chunk).</summary>
    Incomplete,

    /// <summary>The bytes are not acceptable JSON: see <see cref="JsonRequest.JsonError"/>.</summary>
    InvalidJson,
}
