using System.Globalization;
using System.Runtime.CompilerServices;

namespace Gateway.Transforms.Schema;

/// <summary>
/// Formats a failure message only when the context is recording. anyOf/oneOf try branches silently, and a failing
/// branch must not allocate a message nobody reads; the compiler skips the interpolation holes entirely.
/// </summary>
[InterpolatedStringHandler]
internal ref struct FailureMessage
{
    private DefaultInterpolatedStringHandler _builder;

    public FailureMessage(int literalLength, int formattedCount, ValidationContext context, out bool shouldAppend)
    {
        shouldAppend = context.IsRecording;
        _builder = shouldAppend
            ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture)
            : default;
    }

    public void AppendLiteral(string value) => _builder.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _builder.AppendFormatted(value);

    public void AppendFormatted(string? value) => _builder.AppendFormatted(value);

    internal string ToStringAndClear() => _builder.ToStringAndClear();
}
