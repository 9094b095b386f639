namespace Gateway.Transforms.Mapping;

public enum BodyMode
{
    /// <summary>No request body.</summary>
    None,

    /// <summary>Every argument not already placed in the path, query or headers.</summary>
    RemainingArguments,

    /// <summary>Only the listed arguments, optionally renamed.</summary>
    Listed,
}
