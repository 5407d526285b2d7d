using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Benchmarks;

/// <summary>
/// What PostgreSQL itself does on this server, in this run: the ceiling every Funnel figure is a ratio of. Rows are shaped
/// like Marten's events (a sequence key, an id, the stream, its version, a JSON body, a type, the times, the tenant) with
/// the event table's two unique indexes.
/// </summary>
public static class PostgresLimits
{
    private const string Table = "bench_limits.events";

    private const string Create = $"""
        drop schema if exists bench_limits cascade;
        create schema bench_limits;
        create table {Table} (seq_id bigserial primary key, id uuid not null, stream_id text not null, version bigint not null, data jsonb not null,
            type text not null, timestamp timestamptz not null default now(), tenant_id text not null default '*DEFAULT*');
        create unique index on {Table} (tenant_id, stream_id, version);
        """;

    private const string Body = """{"dealId":"bench-000000","stage":"develop","amount":12000,"owner":"Ada Park","occurredAt":"2026-03-01T09:00:00Z"}""";

    /// <summary>One-row insert transactions per second from <paramref name="clients"/> concurrent connections (autocommit, as a command's append).</summary>
    public static async Task<double> InsertTransactionsPerSecondAsync(string connectionString, int clients, TimeSpan duration)
    {
        await ExecuteAsync(connectionString, Create);
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand($"insert into {Table} (id, stream_id, version, data, type) values ($1, $2, $3, $4::jsonb, 'deal_captured')", connection);
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = 1L });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = Body });
            await insert.PrepareAsync();
            var n = 0;
            while (watch.Elapsed < duration)
            {
                insert.Parameters[0].Value = Guid.NewGuid();
                insert.Parameters[1].Value = $"c{client}-{n}";
                await insert.ExecuteNonQueryAsync();
                n++;
            }

            return n;
        }));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Rows per second written by binary COPY through Npgsql, in one transaction, into the event-shaped table.</summary>
    public static async Task<double> CopyRowsPerSecondAsync(string connectionString, int rows)
    {
        await ExecuteAsync(connectionString, Create);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync($"copy {Table} (id, stream_id, version, data, type) from stdin (format binary)"))
        {
            for (var i = 0; i < rows; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await copy.WriteAsync($"deal-{i / 5}", NpgsqlDbType.Text);
                await copy.WriteAsync((long)(i % 5) + 1, NpgsqlDbType.Bigint);
                await copy.WriteAsync(Body, NpgsqlDbType.Jsonb);
                await copy.WriteAsync("deal_stage_changed", NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
