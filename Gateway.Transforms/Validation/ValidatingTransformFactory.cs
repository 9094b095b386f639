using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Validation;

/// <summary>
/// Shared shape of the argument validators' entries in a route's <c>Transforms</c> list: one config key marks the
/// entry and every problem is reported with the route's id when the config loads. The validator itself is not a
/// request transform (those run again on every backend attempt): <see cref="RouteArgumentValidators"/> compiles it once
/// per route and <see cref="ArgumentValidationStep"/> runs it once per call, before anything is forwarded.
/// </summary>
public abstract class ValidatingTransformFactory : ITransformFactory
{
    /// <summary>The key that marks this validator in a route's <c>Transforms</c> list.</summary>
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

    /// <summary>Claims the entry so YARP accepts it; nothing is added to the route's transforms.</summary>
    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues) => transformValues.ContainsKey(Key);

    /// <summary>The validator of an entry with this factory's key (already validated at load), or null for other entries.</summary>
    public IArgumentValidator? TryCreate(string routeId, IReadOnlyDictionary<string, string> transformValues)
    {
        if (!transformValues.ContainsKey(Key))
        {
            return null;
        }

        var errors = new List<string>();
        return Create(transformValues, errors) ?? throw new ArgumentException($"Route '{routeId}': {string.Join("; ", errors)}");
    }

    /// <summary>Reads the settings; returns null and fills <paramref name="errors"/> when they are invalid.</summary>
    protected abstract IArgumentValidator? Create(IReadOnlyDictionary<string, string> values, List<string> errors);
}
