using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// What a rebuild stopped halfway leaves (rows without the indexes only reports read, and no progress) emptied before
/// the schema's update, which would otherwise build the missing indexes on those rows in statements that time out after
/// 30 s: at a million deals they did, and neither the service nor another rebuild could start. The daemon, beginning at
/// the first event, would have emptied them anyway (<see cref="TimelineCache.PrepareAsync"/>).
/// </summary>
public static class StoppedRebuild
{
    /// <summary>
    /// Empties the tables of <paramref name="tables"/> that exist yet and the progress of <paramref name="shard"/>, in one
    /// transaction: always when <paramref name="rebuilding"/> (a rebuild begins by emptying them), else only when no
    /// progress is stored while the tables hold deals.
    /// </summary>
    public static async Task EmptyAsync(NpgsqlConnection connection, TimelineTableSet tables, string shard, bool rebuilding, CancellationToken ct)
    {
        await using var existing = new NpgsqlCommand("select t from unnest(@tables) t where to_regclass(t) is not null", connection);
        existing.Parameters.AddWithValue("tables", tables.All.Select(t => t.Identifier.QualifiedName).Append(StoreTables.EventProgression).ToArray());
        var stored = new List<string>();
        await using (var reader = await existing.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored.Add(reader.GetString(0));
            }
        }

        // A store without the progress table, or without the deals' states, has nothing a rebuild left.
        var states = tables.DealStates.Identifier.QualifiedName;
        if (!stored.Remove(StoreTables.EventProgression) || !stored.Contains(states))
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!rebuilding)
        {
            await using var stopped = new NpgsqlCommand(
                $"select not exists (select 1 from {StoreTables.EventProgression} where name = @shard) and exists (select 1 from {states})", connection, transaction);
            stopped.Parameters.AddWithValue("shard", shard);
            if (!(bool)(await stopped.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }

        await using var empty = new NpgsqlCommand($"truncate {string.Join(", ", stored)}; {ForgetProgress}", connection, transaction);
        empty.Parameters.AddWithValue("shard", shard);
        await empty.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Deletes the progress of the shard named <c>@shard</c>: the daemon, finding none, begins at the first event.</summary>
    public static string ForgetProgress => $"delete from {StoreTables.EventProgression} where name = @shard";
}
