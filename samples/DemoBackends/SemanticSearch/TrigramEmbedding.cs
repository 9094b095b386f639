using DemoBackends.Text;

namespace DemoBackends.SemanticSearch;

/// <summary>
/// A tiny embedding: character trigrams of each space-padded lower-case word, hashed (FNV-1a) into a fixed number
/// of buckets and L2-normalised. Close spellings ("proxy", "proxied") land near each other, unlike exact BM25 terms.
/// </summary>
internal static class TrigramEmbedding
{
    public const int Dimensions = 512;

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        Span<char> padded = stackalloc char[66];
        foreach (var word in WordTokenizer.Tokenize(text))
        {
            var length = Math.Min(word.Length, padded.Length - 2);
            padded[0] = ' ';
            word.AsSpan(0, length).CopyTo(padded[1..]);
            padded[length + 1] = ' ';
            var gram = padded[..(length + 2)];
            for (var i = 0; i + 3 <= gram.Length; i++)
            {
                vector[Bucket(gram.Slice(i, 3))] += 1f;
            }
        }

        Normalize(vector);
        return vector;
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    private static int Bucket(ReadOnlySpan<char> trigram)
    {
        var hash = 2166136261u;
        foreach (var c in trigram)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Dimensions);
    }

    private static void Normalize(float[] vector)
    {
        double sumOfSquares = 0;
        foreach (var value in vector)
        {
            sumOfSquares += value * value;
        }

        if (sumOfSquares == 0)
        {
            return;
        }

        var norm = (float)Math.Sqrt(sumOfSquares);
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }
    }
}
