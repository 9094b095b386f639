namespace Gateway.Proxy.Security.Authorization;

/// <summary>
/// A <c>Gateway.*</c> route metadata key read by another feature. Register one per key
/// (<c>services.AddSingleton(new KnownRouteMetadataKey("Gateway.X"))</c>) so route validation does not refuse it.
/// </summary>
public sealed record KnownRouteMetadataKey(string Key);
