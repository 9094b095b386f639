using Gateway.Transforms.Configuration;
using Gateway.Transforms.Transforms;
using Gateway.Transforms.Validation.Cypher;
using Gateway.Transforms.Validation.Paths;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Infrastructure;

/// <summary>A <see cref="RoutesValidator"/> over YARP's config validator with the gateway's transform factories, as the host has it.</summary>
public sealed class RoutesValidatorHost : IDisposable
{
    private readonly ServiceProvider _services;

    public RoutesValidatorHost()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverseProxy()
            .AddTransformFactory<McpToolRequestTransformFactory>()
            .AddTransformFactory<CypherValidationTransformFactory>()
            .AddTransformFactory<PathValidationTransformFactory>();
        _services = services.BuildServiceProvider();
        Validator = new RoutesValidator(_services.GetRequiredService<IConfigValidator>());
    }

    public RoutesValidator Validator { get; }

    public void Dispose() => _services.Dispose();
}
