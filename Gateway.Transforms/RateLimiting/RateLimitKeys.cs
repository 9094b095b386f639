using System.Security.Cryptography;
using System.Text;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Redis key per (partition, policy, algorithm): <c>{prefix}{partition}:{policy}:{sw|tb}</c>, e.g.
/// <c>ratelimit:tenant-123:tools:sw</c>. The policy is escaped (no ':') and the algorithm is fixed, so reading from the
/// right always recovers all three: two policies never share a key, whatever the partition contains. Partitions start
/// with the tenant when a policy partitions by tenant, so <c>KEYS "ratelimit:tenant-123:*"</c> finds a tenant's state.
/// Partitions longer than 128 characters are hashed (keeping a short leading segment such as the tenant) so a
/// client-supplied identifier cannot make keys arbitrarily large.
/// </summary>
internal static class RateLimitKeys
{
    private const int MaxPartitionLength = 128;
    private const int MaxKeptLeadingSegment = 64;

    public static string For(string prefix, RateLimitRule rule, string partitionKey)
    {
        var algorithm = rule.Algorithm == RateLimitAlgorithm.SlidingWindow ? "sw" : "tb";
        return string.Concat(prefix, Bounded(partitionKey), ":", RateLimitKeySegment.Escape(rule.PolicyName), ":", algorithm);
    }

    private static string Bounded(string partitionKey)
    {
        if (partitionKey.Length <= MaxPartitionLength)
        {
            return partitionKey;
        }

        var hash = "sha256=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partitionKey)));
        var separator = partitionKey.IndexOf(':', StringComparison.Ordinal);
        return separator is > 0 and <= MaxKeptLeadingSegment ? string.Concat(partitionKey.AsSpan(0, separator + 1), hash) : hash;
    }
}
