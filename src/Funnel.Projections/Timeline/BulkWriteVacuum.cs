using Npgsql;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Autovacuum held off the projection's tables while a catch-up writes them in bulk (<see cref="CounterRecount"/>): at a
/// million deals it vacuumed each growing table again and again through a rebuild (the deals' states, rewritten every
/// batch, five times), taking CPU the batches needed. The recount that ends the catch-up lets it go and analyzes the
/// tables, so that reports are planned for the rows at once. A catch-up stopped halfway leaves it held; the next start
/// owes the same recount and goes on to let it go.
/// </summary>
internal static class BulkWriteVacuum
{
    // Set on each leaf: a partitioned table takes no storage options (a plain table has no partition tree: itself).
    private const string Leaves = """
        select coalesce(p.relid, t)::regclass::text
        from unnest(@tables::regclass[]) t left join lateral pg_partition_tree(t) p on true
        where p.relid is null or p.isleaf
        """;

    public static Task HoldAsync(NpgsqlConnection connection, IEnumerable<Table> tables, CancellationToken ct) =>
        AlterAsync(connection, tables, "set (autovacuum_enabled = off, toast.autovacuum_enabled = off)", ct);

    /// <summary>Lets autovacuum back onto the tables; returns the tables to analyze (<see cref="AnalyzeAsync"/>).</summary>
    public static Task<IReadOnlyList<string>> ReleaseAsync(NpgsqlConnection connection, IEnumerable<Table> tables, CancellationToken ct) =>
        AlterAsync(connection, tables, "reset (autovacuum_enabled, toast.autovacuum_enabled)", ct);

    /// <summary>Analyzes the tables, so that reports are planned for their rows at once (none named would be the whole database).</summary>
    public static Task AnalyzeAsync(NpgsqlConnection connection, IEnumerable<string> leaves, CancellationToken ct) =>
        leaves.Any() ? CounterRecount.ExecuteAsync(connection, $"analyze {string.Join(", ", leaves)}", ct) : Task.CompletedTask;

    /// <summary>Alters every leaf table of <paramref name="tables"/>; returns their names.</summary>
    private static async Task<IReadOnlyList<string>> AlterAsync(NpgsqlConnection connection, IEnumerable<Table> tables, string change, CancellationToken ct)
    {
        var leaves = new List<string>();
        await using (var find = new NpgsqlCommand(Leaves, connection))
        {
            find.Parameters.AddWithValue("tables", tables.Select(t => t.Identifier.QualifiedName).ToArray());
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                leaves.Add(reader.GetString(0));
            }
        }

        await CounterRecount.ExecuteAsync(connection, string.Concat(leaves.Select(l => $"alter table {l} {change};")), ct);
        return leaves;
    }
}
