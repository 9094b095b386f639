namespace Gateway.Transforms.Federation;

/// <summary>An upstream's <c>Resources</c> or <c>Prompts</c> entry: the <c>Include</c> and <c>Exclude</c> lists, as written.</summary>
public sealed record UpstreamPrimitiveLists(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude)
{
    public static readonly UpstreamPrimitiveLists None = new([], []);
}
