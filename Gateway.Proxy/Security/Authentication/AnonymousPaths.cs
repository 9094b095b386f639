using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Security.Authentication;

/// <summary>The paths served without authentication (<c>Gateway:Auth:AnonymousPaths</c>); an entry ending in '/' is a prefix.</summary>
public sealed class AnonymousPaths
{
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    public AnonymousPaths(IOptions<SecurityOptions> options)
    {
        var entries = options.Value.EffectiveAnonymousPaths;
        _exact = entries.Where(e => !e.EndsWith('/')).ToArray();
        _prefixes = entries.Where(e => e.EndsWith('/')).ToArray();
    }

    public bool Matches(PathString path)
    {
        var value = path.Value.AsSpan();
        foreach (var exact in _exact)
        {
            if (value.Equals(exact, StringComparison.OrdinalIgnoreCase)
                || (value.Length == exact.Length + 1 && value[^1] == '/' && value.StartsWith(exact, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        foreach (var prefix in _prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || value.Equals(prefix.AsSpan(0, prefix.Length - 1), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
