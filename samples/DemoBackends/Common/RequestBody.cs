using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DemoBackends.Common;

/// <summary>Reads a JSON request body and turns every malformed input into a 400 that names the offending field.</summary>
internal static class RequestBody
{
    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (request.ContentLength == 0)
        {
            return new BodyResult<T>(null, ApiResults.Error(StatusCodes.Status400BadRequest, "invalid_json", "The request body is empty; send a JSON object."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted);
            return value is null
                ? new BodyResult<T>(null, ApiResults.Error(StatusCodes.Status400BadRequest, "invalid_json", "The request body must be a JSON object, not null."))
                : new BodyResult<T>(value, null);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            var error = field.Length == 0
                ? ApiResults.Error(StatusCodes.Status400BadRequest, "invalid_json", "The request body is not valid JSON or not a JSON object; send a JSON object.")
                : ApiResults.InvalidField(field, "has a value of the wrong JSON type or is malformed JSON; check the endpoint contract.");
            return new BodyResult<T>(null, error);
        }
    }

    private static string FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return string.Empty;
        }

        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
    }
}

internal readonly record struct BodyResult<T>(T? Value, IResult? Error)
    where T : class;
