using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Validation.Passthrough;

/// <summary>Refusals of passthrough bodies a validating route cannot check; each says what to send instead.</summary>
internal static class PassthroughRejections
{
    /// <summary>Audit flag: the request tried to pass a validator with a body or query it could not check.</summary>
    public const string SecurityFlag = "unvalidated_body_rejected";

    public static GatewayRejection Unsupported(string message, string header) =>
        new(415, GatewayErrorCodes.UnsupportedMediaType, $"This route validates its arguments: {message}.", RejectionKind.ToolError)
        {
            SecurityFlag = SecurityFlag,
            Data = new Dictionary<string, object?> { ["header"] = header },
        };

    public static GatewayRejection TooLarge(long max) =>
        new(413, GatewayErrorCodes.LimitExceeded, $"This route validates its arguments: the body exceeds {max} bytes (Gateway:Limits:MaxRequestBodyBytes); send a smaller JSON object.", RejectionKind.ToolError)
        {
            SecurityFlag = SecurityFlag,
            Data = new Dictionary<string, object?> { ["limit"] = "MaxRequestBodyBytes", ["maximum"] = max },
        };

    public static GatewayRejection Malformed(string message) =>
        new(400, GatewayErrorCodes.InvalidArguments, $"This route validates its arguments: {message}.", RejectionKind.ToolError)
        {
            SecurityFlag = SecurityFlag,
        };
}
