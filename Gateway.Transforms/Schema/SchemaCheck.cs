using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>One compiled keyword (or a group that shares work, like properties + additionalProperties).</summary>
internal abstract class SchemaCheck
{
    /// <summary>True when the value passes. On failure, records errors through the context and returns false.</summary>
    public abstract bool Validate(JsonElement value, ValidationContext context);
}
