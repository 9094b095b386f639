using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Validation;

/// <summary>Each route's argument validators, compiled from its <c>Transforms</c> entries once per route generation.</summary>
public sealed class RouteArgumentValidators
{
    private readonly ValidatingTransformFactory[] _factories;
    private readonly ConditionalWeakTable<RouteConfig, IArgumentValidator[]> _byRoute = new();
    private readonly ConditionalWeakTable<RouteConfig, IArgumentValidator[]>.CreateValueCallback _compile;

    public RouteArgumentValidators(IEnumerable<ITransformFactory> factories)
    {
        _factories = factories.OfType<ValidatingTransformFactory>().ToArray();
        _compile = Compile;
    }

    public IArgumentValidator[] For(RouteConfig route) => _byRoute.GetValue(route, _compile);

    private IArgumentValidator[] Compile(RouteConfig route)
    {
        if (route.Transforms is not { Count: > 0 } transforms)
        {
            return [];
        }

        var validators = new List<IArgumentValidator>();
        foreach (var entry in transforms)
        {
            foreach (var factory in _factories)
            {
                if (factory.TryCreate(route.RouteId, entry) is { } validator)
                {
                    validators.Add(validator);
                    break;
                }
            }
        }

        return validators.ToArray();
    }
}
