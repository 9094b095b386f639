namespace Gateway.Transforms.Validation.Paths;

/// <summary>
/// Builds a canonical path in caller-provided buffers: pushing a name appends it, ".." truncates back to where the
/// previous name started, so no intermediate strings are created.
/// </summary>
internal ref struct CanonicalPathBuilder
{
    private readonly Span<char> _chars;
    private readonly Span<int> _segmentStarts;
    private readonly char _separator;
    private readonly int _prefixLength;
    private int _length;

    public CanonicalPathBuilder(Span<char> chars, Span<int> segmentStarts, PathSyntax syntax, char drive)
    {
        _chars = chars;
        _segmentStarts = segmentStarts;
        _separator = syntax.Separator;
        _prefixLength = syntax.WritePrefix(drive, chars);
        _length = _prefixLength;
        Depth = 0;
    }

    /// <summary>Number of names below the file-system top.</summary>
    public int Depth { get; private set; }

    public readonly ReadOnlySpan<char> Current => _chars[.._length];

    public void Push(ReadOnlySpan<char> name)
    {
        _segmentStarts[Depth++] = _length;
        if (_length > _prefixLength)
        {
            _chars[_length++] = _separator;
        }

        name.CopyTo(_chars[_length..]);
        _length += name.Length;
    }

    public void Pop() => _length = _segmentStarts[--Depth];
}
