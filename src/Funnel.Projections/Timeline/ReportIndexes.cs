using System.Collections.Concurrent;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The indexes of the projection's tables that only reports read: neither unique (a batch's upserts check those) nor
/// led by <c>deal_id</c> (a batch finds the rows of a deal by those). A rebuild drops them while it loads the tables and
/// builds them in bulk once the rows are in, as PostgreSQL builds an index fastest (while it counts the counters, which
/// read rows by no report index). A rebuild stopped between the two leaves them missing
/// until the service next starts (or the next rebuild), which creates every configured index that is missing, on tables
/// emptied first (<see cref="StoppedRebuild"/>).
/// </summary>
public static class ReportIndexes
{
    /// <summary>
    /// Drops the report indexes of <paramref name="tables"/>; returns their definitions, to build them again, the largest
    /// first (its size before the rebuild tells what it will cost).
    /// </summary>
    public static async Task<IReadOnlyList<string>> DropAsync(NpgsqlConnection connection, IEnumerable<Table> tables, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand("""
            select x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid)
            from pg_index x join pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
            where x.indrelid = any(@tables::regclass[]) and not x.indisunique and a.attname <> 'deal_id'
            order by pg_relation_size(x.indexrelid) desc
            """, connection);
        find.Parameters.AddWithValue("tables", tables.Select(t => t.Identifier.QualifiedName).ToArray());
        var found = new List<(string Name, string Definition)>();
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (found.Count > 0)
        {
            await using var drop = new NpgsqlCommand($"drop index {string.Join(", ", found.Select(f => f.Name))}", connection);
            await drop.ExecuteNonQueryAsync(ct);
        }

        return [.. found.Select(f => f.Definition)];
    }

    /// <summary>
    /// Builds the indexes from their definitions, on two connections at once (one core each), each taking the next
    /// definition when it is done: the largest first, so that neither is left with a long one at the end while the other
    /// is idle (at a million deals the intervals' gist index alone takes 40 s).
    /// </summary>
    public static async Task BuildAsync(Func<NpgsqlConnection> connect, IReadOnlyList<string> definitions, CancellationToken ct)
    {
        var queue = new ConcurrentQueue<string>(definitions);
        async Task BuildEach()
        {
            await using var connection = connect();
            await connection.OpenAsync(ct);
            await using (var memory = new NpgsqlCommand("set maintenance_work_mem = '256MB'", connection))
            {
                await memory.ExecuteNonQueryAsync(ct);
            }

            while (queue.TryDequeue(out var definition))
            {
                await using var build = new NpgsqlCommand(definition, connection) { CommandTimeout = 0 };
                await build.ExecuteNonQueryAsync(ct);
            }
        }

        await Task.WhenAll(BuildEach(), BuildEach());
    }

    /// <summary>
    /// Builds, without a timeout, each index of <paramref name="tables"/> missing from a table that is stored already:
    /// the schema's update builds a missing index in a statement that times out after 30 s, and an index added to a
    /// large table (at a million deals the stays' entries by stage take 6 s) must not keep the service from starting. An
    /// index on a column the table does not have yet is left to the schema's update, which adds the column first.
    /// </summary>
    public static async Task BuildMissingAsync(NpgsqlConnection connection, IEnumerable<Table> tables, CancellationToken ct)
    {
        var wanted = tables.SelectMany(t => t.Indexes.Select(i => (Table: t, Index: i))).ToList();
        await using var find = new NpgsqlCommand("""
            select w.n from unnest(@tables, @names, @columns) as w(t, n, c)
            where to_regclass(w.t) is not null and to_regclass(split_part(w.t, '.', 1) || '.' || w.n) is null
              and not exists (select 1 from unnest(string_to_array(w.c, ',')) as k(column_name)
                              where not exists (select 1 from pg_attribute a where a.attrelid = to_regclass(w.t) and a.attname = k.column_name and not a.attisdropped))
            """, connection);
        find.Parameters.AddWithValue("tables", wanted.Select(w => w.Table.Identifier.QualifiedName).ToArray());
        find.Parameters.AddWithValue("names", wanted.Select(w => w.Index.Name).ToArray());
        find.Parameters.AddWithValue("columns", wanted.Select(w => string.Join(",", (w.Index.Columns ?? []).Concat(w.Index.IncludeColumns ?? []))).ToArray());
        var missing = new HashSet<string>();
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                missing.Add(reader.GetString(0));
            }
        }

        foreach (var (table, index) in wanted.Where(w => missing.Contains(w.Index.Name)))
        {
            await using var build = new NpgsqlCommand(index.ToDDL(table), connection) { CommandTimeout = 0 };
            await build.ExecuteNonQueryAsync(ct);
        }
    }
}
