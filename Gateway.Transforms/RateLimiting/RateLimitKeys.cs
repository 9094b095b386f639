using System.Security.Cryptography;
using System.Text;

namespace Gateway.Transforms.RateLimiting;

/// <summary>
/// Redis key per (algorithm, policy, partition): <c>{prefix}sw:{policy}:{{partition}}</c>. The hash tag around the
/// partition keeps any multi-key script for one partition on one Redis Cluster slot. Long partitions are hashed so a
/// client-supplied identifier cannot make keys arbitrarily large.
/// </summary>
internal static class RateLimitKeys
{
    private const int MaxPartitionLength = 128;

    public static string For(string prefix, RateLimitRule rule, string partitionKey)
    {
        var algorithm = rule.Algorithm == RateLimitAlgorithm.SlidingWindow ? "sw" : "tb";
        var partition = partitionKey.Length <= MaxPartitionLength
            ? partitionKey
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partitionKey)));
        return string.Concat(prefix, algorithm, ":", rule.PolicyName, ":{", partition, "}");
    }
}
