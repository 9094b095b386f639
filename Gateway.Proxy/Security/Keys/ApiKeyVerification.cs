namespace Gateway.Proxy.Security.Keys;

/// <summary>The outcome of checking a presented key; <see cref="Key"/> is set once the secret matched.</summary>
public readonly record struct ApiKeyVerification(ApiKeyStatus Status, ApiKeyRecord? Key);
