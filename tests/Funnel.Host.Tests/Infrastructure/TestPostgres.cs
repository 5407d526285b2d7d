using System.Diagnostics;
using Funnel.Host.Storage;
using Npgsql;

namespace Funnel.Host.Tests.Infrastructure;

/// <summary>One private PostgreSQL per test run, started from the installed binaries; each host fixture gets its own database.</summary>
public static class TestPostgres
{
    private const string Prefix = "funnel-tests-";

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
                SweepAbandoned();
                var directory = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
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

    /// <summary>The server's administrator (a superuser) on a database <see cref="CreateDatabaseAsync"/> made.</summary>
    public static string AdminConnectionString(string connectionString) =>
        server?.AdminConnectionString(new NpgsqlConnectionStringBuilder(connectionString).Database!)
        ?? throw new InvalidOperationException("No database was made yet.");

    /// <summary>
    /// Deletes the servers' directories earlier runs left (a test host may be ended before its exit handler has deleted
    /// its server's 1-2 GB): those of a process no longer running whose server is stopped.
    /// </summary>
    private static void SweepAbandoned()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), $"{Prefix}*"))
        {
            var owner = Path.GetFileName(directory)[Prefix.Length..].Split('-')[0];
            var postmaster = Path.Combine(directory, "postmaster.pid");
            var serverPid = File.Exists(postmaster) ? File.ReadLines(postmaster).FirstOrDefault() : null;
            if (int.TryParse(owner, out var pid) && !IsRunning(pid) && !(int.TryParse(serverPid, out var server) && IsRunning(server)))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run sweeping the same directory, or files it cannot remove: left for the next sweep.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
