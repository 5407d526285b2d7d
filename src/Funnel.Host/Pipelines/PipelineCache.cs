using System.Collections.Concurrent;
using Funnel.Domain.Pipelines;

namespace Funnel.Host.Pipelines;

/// <summary>
/// The pipelines commands decide against, kept in memory: a command would otherwise spend a round trip to PostgreSQL on
/// a definition that changes a few times a year. A redefinition on this node is seen at once; on another node within
/// <see cref="CacheFor"/>, as a revoked key is.
/// </summary>
public sealed class PipelineCache(TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(string Tenant, string Id), (Pipeline Pipeline, DateTimeOffset Until)> found = new();

    /// <summary>The pipeline in the session's tenant, or null when there is none (an unknown pipeline is not kept).</summary>
    public async Task<Pipeline?> LoadAsync(IQuerySession session, string pipelineId, CancellationToken ct)
    {
        var key = (session.TenantId, pipelineId);
        var now = clock.GetUtcNow();
        if (found.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Pipeline;
        }

        var pipeline = await session.LoadAsync<Pipeline>(pipelineId, ct);
        if (pipeline is not null)
        {
            found[key] = (pipeline, now + CacheFor);
        }

        return pipeline;
    }

    public void Forget(string tenantId, string pipelineId) => found.TryRemove((tenantId, pipelineId), out _);
}
