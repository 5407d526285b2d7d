using Funnel.Projections;
using JasperFx.Events;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Host.Events;

/// <summary>
/// One tenant's raw events, in the store's order, one JSON object per line (NDJSON), written as PostgreSQL returns them:
/// nothing is buffered, and a reader resumes after the last cursor it saw (<see cref="EventCursors"/>).
/// </summary>
public sealed class EventExport(NpgsqlDataSource dataSource, EventCursors cursors)
{
    public const int MaxLimit = 100_000;

    /// <summary>Tombstones fill sequence numbers of failed transactions (Marten's stream for them): not events of the funnel.</summary>
    private static readonly string Sql = $"""
        select jsonb_build_object(
            'streamId', e.stream_id, 'version', e.version, 'type', e.type,
            'occurredAt', e.data->'occurredAt', 'recordedAt', e.timestamp, 'data', e.data,
            'actor', e.headers->'actor', 'correlationId', e.correlation_id, 'causationId', e.causation_id, 'traceId', e.headers->'traceId')::text,
            e.seq_id, e.stream_id, e.version, e.type, e.data->>'occurredAt', e.timestamp, e.data::text
        from {StoreTables.Events} e
        where e.seq_id > @after and e.tenant_id = @tenant and e.stream_id <> '{Tombstone.StreamKey}' and (@pipeline::text is null or e.stream_id = @pipeline
              or e.stream_id in (select d.id from {StoreTables.DealDocuments} d where d.tenant_id = @tenant and d.data->>'pipelineId' = @pipeline))
        order by e.seq_id limit @limit
        """;

    public const string CsvHeader = "cursor,stream_id,version,type,occurred_at,recorded_at,data";

    /// <summary>Writes up to <paramref name="limit"/> events after the position <paramref name="after"/>; returns how many, and the position of the last.</summary>
    public Task<(long Count, long Last)> WriteNdjsonAsync(Stream output, string tenant, string? pipelineId, long after, int limit, CancellationToken ct) =>
        ReadAsync(tenant, pipelineId, after, limit, (r, cursor, writer) => writer.WriteLineAsync($"{{\"cursor\": \"{cursor}\", {r.GetString(0)[1..]}"), output, ct);

    /// <summary>CSV rows (see <see cref="CsvHeader"/>): the event's JSON in the last column.</summary>
    public Task<(long Count, long Last)> WriteCsvAsync(Stream output, string tenant, string? pipelineId, long after, int limit, CancellationToken ct) =>
        ReadAsync(tenant, pipelineId, after, limit, (r, cursor, writer) => writer.WriteLineAsync(
            $"{cursor},{Quote(r.GetString(2))},{r.GetInt64(3)},{r.GetString(4)},{(r.IsDBNull(5) ? "" : r.GetString(5))},{r.GetFieldValue<DateTimeOffset>(6):O},{Quote(r.GetString(7))}"),
            output, ct);

    private async Task<(long Count, long Last)> ReadAsync(
        string tenant, string? pipelineId, long after, int limit, Func<NpgsqlDataReader, string, StreamWriter, Task> write, Stream output, CancellationToken ct)
    {
        var cursorOf = await cursors.ForAsync(tenant, ct);
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Bigint) { Value = after });
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = TenantStorage.MartenId(tenant) });
        command.Parameters.Add(new NpgsqlParameter("pipeline", NpgsqlDbType.Text) { Value = (object?)pipelineId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        await using var writer = new StreamWriter(output, leaveOpen: true) { NewLine = "\n" };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (count, last) = (0L, after);
        while (await reader.ReadAsync(ct))
        {
            last = reader.GetInt64(1);
            await write(reader, cursorOf(last), writer);
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        await writer.FlushAsync(ct);
        return (count, last);
    }

    private static string Quote(string value) => $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
