using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Gateway.Proxy.Mcp;

/// <summary>
/// Where the events of stateful sessions are kept for resumption (<c>Gateway:Mcp:Resumability</c>): the SDK's event
/// stream store over an in-process cache bounded by <see cref="McpResumabilityOptions.MaxBytes"/>. In process because a
/// stateful session lives on one replica, and its client reconnects to that replica.
/// </summary>
#pragma warning disable MCP9006 // Resumability belongs to the stateful sessions Gateway:Mcp:Stateful serves.
public sealed class McpEventStore
{
    public McpEventStore(IOptions<McpOptions> options, ILoggerFactory loggerFactory)
    {
        var resumability = options.Value.Resumability;
        if (!resumability.Enabled)
        {
            return;
        }

        // The cache counts each entry's size as its length in bytes; past SizeLimit it keeps no new entries.
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { SizeLimit = resumability.MaxBytes }));
        Store = new DistributedCacheEventStreamStore(
            Options.Create(new DistributedCacheEventStreamStoreOptions
            {
                Cache = cache,
                EventSlidingExpiration = resumability.EventRetention,
                EventAbsoluteExpiration = resumability.EventRetention,
                MetadataSlidingExpiration = resumability.EventRetention,
                MetadataAbsoluteExpiration = resumability.EventRetention,
            }),
            loggerFactory.CreateLogger<DistributedCacheEventStreamStore>());
    }

    /// <summary>The store, or null when resumability is off.</summary>
    public ISseEventStreamStore? Store { get; }
}
#pragma warning restore MCP9006
