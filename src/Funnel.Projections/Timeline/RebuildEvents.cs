using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// A tenant's events of some types, in the store's sequence, read for a rebuild by one plain query: the five columns a
/// projection reads, each row's columns taken from the buffer it arrived in. Marten's own event query read fourteen
/// columns, each one awaited: an eighth of the service's CPU in a million-deal rebuild's batches. The events are
/// deserialized by the store's serializer and wrapped by its event mappings all the same (the store registers no
/// upcasting, which this would pass by).
/// </summary>
internal static class RebuildEvents
{
    public static async IAsyncEnumerable<IEvent> ReadAsync(
        DocumentStore store, string tenantId, IReadOnlyList<Type> types, long through, [EnumeratorCancellation] CancellationToken ct)
    {
        var events = (EventGraph)store.Options.Events;
        var mappings = types.Select(events.EventMappingFor).ToDictionary(m => m.EventTypeName, m => m);
        var serializer = store.Options.Serializer();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand(
            $"""
            select type, data, seq_id, version, timestamp from {StoreTables.Events}
            where seq_id <= @through and type = any(@types) and tenant_id = @tenant and is_archived = false
            order by seq_id
            """, connection);
        query.Parameters.AddWithValue("through", through);
        query.Parameters.AddWithValue("types", mappings.Keys.ToArray());
        query.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var mapping = mappings[reader.GetString(0)];
            var e = mapping.Wrap(serializer.FromJson(mapping.DocumentType, reader, 1));
            e.Sequence = reader.GetInt64(2);
            e.Version = reader.GetInt64(3);
            e.Timestamp = reader.GetFieldValue<DateTimeOffset>(4);
            e.TenantId = tenantId;
            yield return e;
        }
    }
}
