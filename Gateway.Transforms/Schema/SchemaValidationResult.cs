namespace Gateway.Transforms.Schema;

/// <summary>The outcome of <see cref="ToolSchema.Validate"/>. <c>default</c> is a success and allocates nothing.</summary>
public readonly struct SchemaValidationResult
{
    private readonly IReadOnlyList<SchemaError>? _errors;

    internal SchemaValidationResult(IReadOnlyList<SchemaError> errors) => _errors = errors;

    public static SchemaValidationResult Valid => default;

    public bool IsValid => _errors is null || _errors.Count == 0;

    /// <summary>At most <see cref="ToolSchema.MaxReportedErrors"/> errors, in the order they were found.</summary>
    public IReadOnlyList<SchemaError> Errors => _errors ?? [];

    public override string ToString() =>
        IsValid ? "valid" : string.Join("; ", Errors.Select(error => error.Message));
}
