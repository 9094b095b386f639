namespace Gateway.Proxy.Hosting;

/// <summary>Wraps the last registration of a service with a decorator, whatever its form (type, factory or instance), so areas can stack decorators.</summary>
public static class ServiceDecoration
{
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        // Nothing to wrap (e.g. a test composing one area alone): the decorator has nothing to add either.
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService));
        if (inner is null)
        {
            return services;
        }

        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => decorate(sp, Create<TService>(sp, inner)), inner.Lifetime));
        return services;
    }

    private static TService Create<TService>(IServiceProvider services, ServiceDescriptor descriptor) =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
