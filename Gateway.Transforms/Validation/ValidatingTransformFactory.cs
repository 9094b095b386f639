using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Validation;

/// <summary>
/// Shared shape of the argument validators' transform factories: one config key marks the transform, every problem is
/// reported with the route's id, and the built transform runs before the route's other request transforms, so nothing
/// is mapped or sent for a rejected call.
/// </summary>
public abstract class ValidatingTransformFactory : ITransformFactory
{
    /// <summary>The key that marks this transform in a route's <c>Transforms</c> list.</summary>
    protected abstract string Key { get; }

    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.ContainsKey(Key))
        {
            return false;
        }

        var errors = new List<string>();
        Create(transformValues, errors);
        foreach (var error in errors)
        {
            context.Errors.Add(new ArgumentException($"Route '{context.Route.RouteId}': {error}"));
        }

        return true;
    }

    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.ContainsKey(Key))
        {
            return false;
        }

        var errors = new List<string>();
        var transform = Create(transformValues, errors) ?? throw new ArgumentException($"Route '{context.Route.RouteId}': {string.Join("; ", errors)}");
        context.RequestTransforms.Insert(0, transform);
        return true;
    }

    /// <summary>Reads the settings; returns null and fills <paramref name="errors"/> when they are invalid.</summary>
    protected abstract RequestTransform? Create(IReadOnlyDictionary<string, string> values, List<string> errors);
}
