using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>
/// Per-call state: where we are in the value, the errors so far, and whether failures are being recorded.
/// One instance is cached per thread so a successful validation allocates nothing.
/// </summary>
internal sealed class ValidationContext
{
    [ThreadStatic]
    private static ValidationContext? t_cached;

    private PathSegment[] _path = new PathSegment[8];
    private int _depth;
    private int _silentLevels;
    private List<SchemaError>? _errors;
    private ValidationSubject _subject = ValidationSubject.Arguments;

    public static ValidationContext Rent(ValidationSubject subject)
    {
        var context = t_cached ?? new ValidationContext();
        t_cached = null;
        context._subject = subject;
        return context;
    }

    /// <summary>Hands the errors (if any) to the caller and returns the context to the thread cache.</summary>
    public static SchemaValidationResult Return(ValidationContext context)
    {
        var errors = context._errors;
        context._errors = null;
        context._depth = 0;
        context._silentLevels = 0;
        t_cached = context;
        return errors is null ? SchemaValidationResult.Valid : new SchemaValidationResult(errors);
    }

    /// <summary>False while trying anyOf/oneOf branches, and once the error limit is reached.</summary>
    public bool IsRecording => _silentLevels == 0 && (_errors is null || _errors.Count < ToolSchema.MaxReportedErrors);

    /// <summary>A check that failed may stop early: nobody reads further errors.</summary>
    public bool ShouldStop => !IsRecording;

    public void BeginSilent() => _silentLevels++;

    public void EndSilent() => _silentLevels--;

    public void Push(JsonProperty property) => Push(new PathSegment(property, null, -1));

    public void Push(string propertyName) => Push(new PathSegment(default, propertyName, -1));

    public void Push(int index) => Push(new PathSegment(default, null, index));

    public void Pop() => _depth--;

    /// <summary>Records "{subject} {predicate}", e.g. "argument 'top_k' must be an integer, got string".</summary>
    public bool Fail([InterpolatedStringHandlerArgument("")] ref FailureMessage predicate)
    {
        if (IsRecording)
        {
            Record(Subject + " " + predicate.ToStringAndClear());
        }
        return false;
    }

    /// <summary>Records a message that names the subject itself, e.g. "unknown argument 'colour' (...)".</summary>
    public bool FailVerbatim([InterpolatedStringHandlerArgument("")] ref FailureMessage message)
    {
        if (IsRecording)
        {
            Record(message.ToStringAndClear());
        }
        return false;
    }

    /// <summary>"arguments" at the top, "argument 'filters.top_k'" below it.</summary>
    public string Subject => _depth == 0 ? _subject.Whole : $"{_subject.Member} '{DisplayPath()}'";

    public string MemberNoun => _subject.Member;

    public string DisplayPath()
    {
        var text = new StringBuilder();
        for (int i = 0; i < _depth; i++)
        {
            var segment = _path[i];
            if (segment.Index >= 0)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else
            {
                if (i > 0) text.Append('.');
                text.Append(segment.Name);
            }
        }
        return text.ToString();
    }

    private string JsonPath()
    {
        var text = new StringBuilder("$");
        for (int i = 0; i < _depth; i++)
        {
            var segment = _path[i];
            if (segment.Index >= 0)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else if (IsPlainName(segment.Name))
            {
                text.Append('.').Append(segment.Name);
            }
            else
            {
                text.Append("['").Append(segment.Name.Replace("\\", "\\\\").Replace("'", "\\'")).Append("']");
            }
        }
        return text.ToString();
    }

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0])) return false;
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-') return false;
        }
        return true;
    }

    private void Record(string message) => (_errors ??= []).Add(new SchemaError(JsonPath(), message));

    private void Push(PathSegment segment)
    {
        if (_depth == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
        }
        _path[_depth++] = segment;
    }

    /// <summary>A property (name read only when a message needs it) or an array index.</summary>
    private readonly struct PathSegment(JsonProperty property, string? declaredName, int index)
    {
        public int Index { get; } = index;

        public string Name => declaredName ?? JsonStrings.DecodeName(property);
    }
}
