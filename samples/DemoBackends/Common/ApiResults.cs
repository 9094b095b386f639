using System.Text.Json.Serialization.Metadata;

namespace DemoBackends.Common;

/// <summary>Typed JSON results built on the source-generated contract, so no reflection serialisation is needed.</summary>
internal static class ApiResults
{
    public static IResult Ok<T>(T value, JsonTypeInfo<T> typeInfo) => Results.Json(value, typeInfo);

    public static IResult MissingField(string field) =>
        Error(StatusCodes.Status400BadRequest, "missing_field", $"'{field}' is required.");

    public static IResult InvalidField(string field, string rule) =>
        Error(StatusCodes.Status400BadRequest, "invalid_field", $"'{field}' {rule}");

    public static IResult NotFound(string detail, IReadOnlyList<string>? known = null) =>
        Error(StatusCodes.Status404NotFound, "not_found", detail, known);

    public static IResult Error(int status, string error, string detail, IReadOnlyList<string>? known = null) =>
        Results.Json(new ApiError(error, detail, known), DemoJson.Context.ApiError, statusCode: status);
}
