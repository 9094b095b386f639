using System.Text.Json;

namespace Gateway.Transforms.Schema;

/// <summary><c>uniqueItems: true</c>: no two elements may be equal (1 and 1.0 are equal).</summary>
internal sealed class UniqueItemsCheck : SchemaCheck
{
    /// <summary>Up to this length pairwise comparison is cheaper than hashing and allocates nothing.</summary>
    private const int PairwiseLimit = 32;

    public override bool Validate(JsonElement value, ValidationContext context)
    {
        if (value.ValueKind != JsonValueKind.Array) return true;
        int length = value.GetArrayLength();
        if (length < 2) return true;

        var (first, second) = length <= PairwiseLimit ? FindDuplicatePairwise(value, length) : FindDuplicateHashed(value);
        return first < 0 || context.Fail($"must not contain duplicates, but items {first} and {second} are equal");
    }

    private static (int First, int Second) FindDuplicatePairwise(JsonElement array, int length)
    {
        for (int i = 0; i < length; i++)
        {
            var item = array[i];
            for (int j = i + 1; j < length; j++)
            {
                if (JsonValueComparer.Instance.Equals(item, array[j])) return (i, j);
            }
        }
        return (-1, -1);
    }

    // Pairwise comparison is quadratic; a long array from a client must not turn into a CPU sink.
    private static (int First, int Second) FindDuplicateHashed(JsonElement array)
    {
        var seen = new Dictionary<JsonElement, int>(JsonValueComparer.Instance);
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (!seen.TryAdd(item, index)) return (seen[item], index);
            index++;
        }
        return (-1, -1);
    }
}
