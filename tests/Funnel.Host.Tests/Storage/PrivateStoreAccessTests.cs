using Funnel.Host.Storage;
using Npgsql;

namespace Funnel.Host.Tests.Storage;

/// <summary>The private PostgreSQL is a door too: passwords (SCRAM) on every connection, and a service role that is no superuser.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateStoreAccessTests : IAsyncLifetime
{
    private PrivatePostgres server = null!;

    public async Task InitializeAsync() =>
        server = await PrivatePostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"funnel-door-{Guid.NewGuid():N}"[..30]), temporary: true);

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task no_role_gets_in_without_its_password()
    {
        foreach (var user in new[] { server.Credentials.AdminUser, server.Credentials.ServiceUser, "funnel" })
        {
            var guess = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Username = user, Password = "guess", Pooling = false };
            await using var connection = new NpgsqlConnection(guess.ConnectionString);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        }

        var credentials = PrivateStoreCredentials.PathIn(server.DataDirectory);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
    }

    [Fact]
    public async Task the_service_role_owns_its_database_but_cannot_run_programs_or_read_files_of_the_server()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();

        Assert.Equal(false, await connection.ScalarAsync("select rolsuper from pg_roles where rolname = current_user"));
        Assert.Equal(server.Credentials.ServiceUser, await connection.ScalarAsync("select pg_get_userbyid(datdba) from pg_database where datname = current_database()"));
        Assert.Equal(1L, await connection.ScalarAsync("create schema door; create table door.t (n int); insert into door.t values (1); select count(*) from door.t"));

        var program = await Assert.ThrowsAsync<PostgresException>(() => connection.ScalarAsync("copy (select 1) to program 'id'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, program.SqlState);
        var file = await Assert.ThrowsAsync<PostgresException>(() => connection.ScalarAsync("select pg_read_file('postgresql.conf')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, file.SqlState);
    }
}
