using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary>
/// JSON Schema equality, used by enum, const and uniqueItems: numbers compare by value (1 equals 1.0), objects
/// ignore property order. Recursion is bounded so a hostile, deeply nested value cannot exhaust the stack.
/// </summary>
internal sealed class JsonValueComparer : IEqualityComparer<JsonElement>
{
    /// <summary>Past this depth two values are treated as different; real tool arguments are nowhere near it.</summary>
    public const int MaxDepth = 64;

    public static readonly JsonValueComparer Instance = new();

    public bool Equals(JsonElement x, JsonElement y) => AreEqual(x, y, 0);

    public int GetHashCode(JsonElement value) => Hash(value, 0);

    private static bool AreEqual(JsonElement x, JsonElement y, int depth)
    {
        if (depth > MaxDepth) return false;
        var kind = x.ValueKind;
        if (kind != y.ValueKind) return false;
        return kind switch
        {
            JsonValueKind.String => JsonStrings.AreEqual(x, y),
            JsonValueKind.Number => SchemaNumber.Read(x).CompareTo(SchemaNumber.Read(y)) == 0,
            JsonValueKind.Array => ArraysEqual(x, y, depth),
            JsonValueKind.Object => ObjectsEqual(x, y, depth),
            _ => true,
        };
    }

    private static bool ArraysEqual(JsonElement x, JsonElement y, int depth)
    {
        if (x.GetArrayLength() != y.GetArrayLength()) return false;
        var right = y.EnumerateArray();
        foreach (var item in x.EnumerateArray())
        {
            right.MoveNext();
            if (!AreEqual(item, right.Current, depth + 1)) return false;
        }
        return true;
    }

    private static bool ObjectsEqual(JsonElement x, JsonElement y, int depth)
    {
        if (x.GetPropertyCount() != y.GetPropertyCount()) return false;
        foreach (var property in x.EnumerateObject())
        {
            if (!TryGetProperty(y, property, out var other) || !AreEqual(property.Value, other, depth + 1)) return false;
        }
        return true;
    }

    private static bool TryGetProperty(JsonElement obj, JsonProperty wanted, out JsonElement value)
    {
        var rawName = JsonMarshal.GetRawUtf8PropertyName(wanted);
        return rawName.IndexOf((byte)'\\') < 0
            ? obj.TryGetProperty(rawName, out value)
            : obj.TryGetProperty(JsonStrings.DecodeName(wanted), out value);
    }

    private static int NameHash(JsonProperty property)
    {
        var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
        if (rawName.IndexOf((byte)'\\') >= 0)
        {
            rawName = Encoding.UTF8.GetBytes(JsonStrings.DecodeName(property));
        }
        var hash = new HashCode();
        hash.AddBytes(rawName);
        return hash.ToHashCode();
    }

    private static int Hash(JsonElement value, int depth)
    {
        if (depth > MaxDepth) return 0;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return JsonStrings.Hash(value);
            case JsonValueKind.Number:
                return SchemaNumber.Read(value).Hash;
            case JsonValueKind.Array:
                var arrayHash = new HashCode();
                foreach (var item in value.EnumerateArray()) arrayHash.Add(Hash(item, depth + 1));
                return arrayHash.ToHashCode();
            case JsonValueKind.Object:
                int objectHash = (int)JsonValueKind.Object;
                // Order-independent combination, because property order does not matter for equality.
                foreach (var property in value.EnumerateObject())
                {
                    objectHash += HashCode.Combine(NameHash(property), Hash(property.Value, depth + 1));
                }
                return objectHash;
            default:
                return (int)value.ValueKind;
        }
    }
}
