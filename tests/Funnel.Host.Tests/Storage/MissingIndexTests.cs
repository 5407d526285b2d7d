using Funnel.Host.Demo;
using Funnel.Host.Storage;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Host.Tests.Storage;

/// <summary>
/// An index a newer Funnel adds to a table a store already holds is built before the schema's update, whole and without
/// the update's timeout: on a large table the update's statement would time out and the service would not start.
/// </summary>
public sealed class MissingIndexTests
{
    private const string Index = "ix_stage_residencies_entered_day";

    [Fact]
    public async Task an_index_missing_from_a_stored_table_is_built_on_its_rows_past_the_connections_timeout()
    {
        var app = new FunnelApp();
        await app.InitializeAsync();
        try
        {
            await DemoSeeder.SeedAsync(app.Store, 200, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero), CancellationToken.None);
            await app.CatchUpAsync();
            var exists = $"select count(*) from pg_indexes where schemaname = '{StoreTables.Schema}' and indexname = '{Index}'";
            var stays = $"select count(*) from {StoreTables.Schema}.{TimelineTables.StageResidencies}";
            await using var service = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app.ConnectionString) { CommandTimeout = 1, Pooling = false }.ConnectionString);
            await service.OpenAsync();
            await service.ExecuteAsync($"drop index {StoreTables.Schema}.{Index}");
            Assert.Equal(0L, await service.ScalarAsync(exists));

            // Each index build takes two seconds: longer than the connection's commands may.
            await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString(app.ConnectionString));
            await admin.OpenAsync();
            await admin.ExecuteAsync("""
                create function public.slow_index_build() returns event_trigger language plpgsql as $$ begin perform pg_sleep(2); end $$;
                create event trigger slow_index_builds on ddl_command_end when tag in ('CREATE INDEX') execute function public.slow_index_build();
                """);
            try
            {
                await ReportIndexes.BuildMissingAsync(service, TimelineTables.Live.All, CancellationToken.None);
            }
            finally
            {
                await admin.ExecuteAsync("drop event trigger slow_index_builds; drop function public.slow_index_build()");
            }

            Assert.Equal(1L, await service.ScalarAsync(exists));
            Assert.Equal(true, await service.ScalarAsync($"select indisvalid from pg_index where indexrelid = '{StoreTables.Schema}.{Index}'::regclass"));
            Assert.True((long)(await service.ScalarAsync(stays))! > 200, "too few stays for the index to be built on");

            // An index on a column the table lacks (a store of a version before it) is left to the schema's update, which
            // adds the column first: built here, it would fail and keep the service from starting.
            await service.ExecuteAsync($"alter table {StoreTables.Schema}.{TimelineTables.StageResidencies} drop column entered_day");
            Assert.Equal(0L, await service.ScalarAsync(exists));
            await ReportIndexes.BuildMissingAsync(service, TimelineTables.Live.All, CancellationToken.None);
            Assert.Equal(0L, await service.ScalarAsync(exists));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
