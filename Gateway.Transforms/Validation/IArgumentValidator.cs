using Gateway.Transforms.Pipeline;

namespace Gateway.Transforms.Validation;

/// <summary>
/// A validator a route declares in routes.json (<c>ValidateCypher</c>, <c>ValidatePath</c>), compiled once per route
/// and run once per call by <see cref="ArgumentValidationStep"/>.
/// </summary>
public interface IArgumentValidator
{
    /// <summary>
    /// Returns the rejection for arguments that may not pass, or null. An accepted argument whose canonical form differs
    /// from what was sent is added to <paramref name="replacements"/>, so a tool call forwards what was checked.
    /// </summary>
    GatewayRejection? Validate(CallArguments arguments, ref Dictionary<string, string>? replacements);
}
