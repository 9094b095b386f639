namespace Gateway.Transforms.Validation.Limits;

/// <summary>
/// The first limit an argument document breaks: <paramref name="Limit"/> is the <see cref="ArgumentLimits"/> property
/// name, <paramref name="Path"/> a JSONPath to the offending value ("$.filters.tags[3]").
/// </summary>
public readonly record struct LimitViolation(string Limit, string Path, long Actual, long Maximum, string Message);
