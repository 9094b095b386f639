namespace Gateway.Transforms.Federation.Pinning;

/// <summary>What the gateway does with an upstream tool that has no pin (no approved definition) yet.</summary>
public enum UnpinnedToolPolicy
{
    /// <summary>Served as listed; only tools that were approved are held to their approved definition.</summary>
    Allow,

    /// <summary>Hidden and refused until an operator approves it (<c>pins approve</c>).</summary>
    Quarantine,
}
