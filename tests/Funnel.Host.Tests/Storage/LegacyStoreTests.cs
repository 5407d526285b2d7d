using Funnel.Host.Storage;
using Npgsql;

namespace Funnel.Host.Tests.Storage;

/// <summary>
/// A private store made by an earlier Funnel (trust authentication, the service as the superuser 'funnel', its data in
/// the 'postgres' database) is converted in place on its first start: the data stays, passwords close the door.
/// </summary>
public sealed class LegacyStoreTests
{
    [Fact]
    public async Task an_open_store_from_before_keeps_its_data_under_a_service_role_and_then_needs_passwords()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"funnel-legacy-{Guid.NewGuid():N}"[..30]);
        await InitLegacyAsync(directory);
        await using (var legacy = await PrivatePostgres.StartAsync(directory, temporary: false))
        {
            // What the earlier Funnel left: its schema and rows, owned by the superuser, in 'postgres'.
            await using var before = new NpgsqlConnection(legacy.AdminConnectionString("postgres"));
            await before.OpenAsync();
            Assert.Equal("funnel", legacy.Credentials.AdminUser);
            await before.ExecuteAsync("create schema funnel; create table funnel.kept (n int generated always as identity, v text); insert into funnel.kept (v) values ('a'), ('b')");
        }

        // The conversion ran at that start, before the schema above existed: the next start hands it over too.
        await using var server = await PrivatePostgres.StartAsync(directory, temporary: true);
        await using var service = new NpgsqlConnection(server.ConnectionString());
        await service.OpenAsync();
        Assert.Equal("postgres", server.Credentials.Database);
        Assert.Equal(2L, await service.ScalarAsync("select count(*) from funnel.kept"));
        await service.ExecuteAsync("insert into funnel.kept (v) values ('c'); create schema funnel_verify; drop schema funnel_verify");
        Assert.Equal(false, await service.ScalarAsync("select rolsuper from pg_roles where rolname = current_user"));

        var guess = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Username = "funnel", Password = "guess", Pooling = false };
        await using var intruder = new NpgsqlConnection(guess.ConnectionString);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, (await Assert.ThrowsAsync<PostgresException>(() => intruder.OpenAsync())).SqlState);
    }

    /// <summary>initdb as Funnel ran it before the store had passwords.</summary>
    private static async Task InitLegacyAsync(string directory)
    {
        var asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(directory);
        if (asRoot)
        {
            await PrivatePostgres.RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }

        await PrivatePostgres.RunPgAsync(PrivatePostgres.FindBinaries(), asRoot, "initdb", ["-D", directory, "-A", "trust", "-U", "funnel", "-E", "UTF8", "--no-sync"]);
    }
}
