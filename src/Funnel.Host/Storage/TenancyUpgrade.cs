using Funnel.Projections;
using Npgsql;

namespace Funnel.Host.Storage;

/// <summary>
/// Turns the event tables of a store made before tenants (streams keyed by id alone) into conjoined ones (keyed by tenant
/// and id), its rows staying Marten's default tenant, which is Funnel's 'default'. Marten's own migration of that step
/// adds the new foreign key twice and fails, so this runs first, in one transaction; Marten then finds the keys in place
/// and migrates the rest (the documents' tenant columns).
/// </summary>
public static class TenancyUpgrade
{
    private const string Sql = $"""
        alter table {StoreTables.Streams} drop constraint pkey_mt_streams_id cascade;
        alter table {StoreTables.Streams} add constraint pkey_mt_streams_tenant_id_id primary key (tenant_id, id);
        alter table {StoreTables.Events} add constraint fkey_mt_events_stream_id_tenant_id foreign key (tenant_id, stream_id) references {StoreTables.Streams}(tenant_id, id);
        drop index if exists {StoreTables.Schema}.pk_mt_events_stream_and_version;
        create unique index pk_mt_events_stream_and_version on {StoreTables.Events} using btree (tenant_id, stream_id, version);
        """;

    /// <summary>Converts the store when it is of the shape before tenants; returns whether it did.</summary>
    public static async Task<bool> ApplyIfNeededAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var before = await connection.ScalarAsync($"select exists (select 1 from pg_constraint where conname = 'pkey_mt_streams_id' and conrelid = to_regclass('{StoreTables.Streams}'))");
        if (before is not true)
        {
            return false;
        }

        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return true;
    }
}
