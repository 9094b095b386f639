using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>required</c>: each listed property must be present.</summary>
internal sealed class RequiredCheck(string[] names) : SchemaCheck
{
    private readonly byte[][] _utf8Names = [.. names.Select(Encoding.UTF8.GetBytes)];

    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Object) return true;
        bool valid = true;
        for (int i = 0; i < _utf8Names.Length; i++)
        {
            if (value.TryGetProperty(_utf8Names[i], out _)) continue;
            valid = false;
            context.Push(names[i]);
            context.FailVerbatim($"missing required {context.MemberNoun} '{context.DisplayPath()}'");
            context.Pop();
            if (context.ShouldStop) break;
        }
        return valid;
    }
}
