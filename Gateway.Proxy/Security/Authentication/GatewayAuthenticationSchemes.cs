namespace Gateway.Proxy.Security.Authentication;

public static class GatewayAuthenticationSchemes
{
    /// <summary>The default scheme: forwards to <see cref="ApiKey"/> or <see cref="Bearer"/> by what the request carries.</summary>
    public const string Gateway = "Gateway";

    public const string Bearer = "Bearer";

    public const string ApiKey = "ApiKey";
}
