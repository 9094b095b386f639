namespace Gateway.Transforms.Pipeline;

/// <summary>
/// A step's decision on a call: go on or stop with a rejection, plus headers for the caller's response. The call
/// pipeline acts on it; steps never write to the HTTP response themselves.
/// </summary>
public readonly record struct StepResult(GatewayRejection? Rejection, IReadOnlyList<KeyValuePair<string, string>>? ResponseHeaders)
{
    public static StepResult Continue => default;

    public static StepResult Reject(GatewayRejection rejection) => new(rejection, null);

    public static StepResult ContinueWith(IReadOnlyList<KeyValuePair<string, string>> responseHeaders) => new(null, responseHeaders);

    public static implicit operator ValueTask<StepResult>(StepResult result) => new(result);
}
