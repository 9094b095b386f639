namespace Gateway.Transforms.Schema;

/// <summary>One reason a value failed its schema.</summary>
/// <param name="Path">Where in the value, JSONPath style: <c>$</c> is the whole value, <c>$.filters.top_k</c>, <c>$.tags[2]</c>.</param>
/// <param name="Message">What is wrong and what is expected, naming the argument.</param>
public sealed record SchemaError(string Path, string Message);
