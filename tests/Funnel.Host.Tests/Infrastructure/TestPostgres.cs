using Funnel.Host.Storage;
using Npgsql;

namespace Funnel.Host.Tests.Infrastructure;

/// <summary>One private PostgreSQL per test run, started from the installed binaries; each host fixture gets its own database.</summary>
public static class TestPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PrivatePostgres? server;
    private static int databases;

    public static async Task<string> CreateDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (server is null)
            {
                var directory = Path.Combine(Path.GetTempPath(), $"funnel-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
                server = await PrivatePostgres.StartAsync(directory, temporary: true);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            var name = $"funnel_{++databases}";
            await using var connection = new NpgsqlConnection(server.AdminConnectionString());
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {server.Credentials.ServiceUser}", connection);
            await create.ExecuteNonQueryAsync();
            return server.ConnectionString(name);
        }
        finally
        {
            Gate.Release();
        }
    }
}
