namespace Gateway.Transforms.Validation.Paths;

/// <summary>Enumerates the non-empty names of a path body, so repeated separators collapse.</summary>
internal ref struct PathSegments
{
    private readonly ReadOnlySpan<char> _body;
    private readonly PathSyntax _syntax;
    private int _next;

    public PathSegments(ReadOnlySpan<char> body, PathSyntax syntax)
    {
        _body = body;
        _syntax = syntax;
        _next = 0;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly PathSegments GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next < _body.Length && _syntax.IsSeparator(_body[_next]))
        {
            _next++;
        }

        if (_next >= _body.Length)
        {
            return false;
        }

        int start = _next;
        while (_next < _body.Length && !_syntax.IsSeparator(_body[_next]))
        {
            _next++;
        }

        Current = _body[start.._next];
        return true;
    }
}
